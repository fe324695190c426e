package org.pagelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pagelab as a dependency: a separate project (src/test/resources/dependency-project, the one the
 * README shows) that depends on org.pagelab:pagelab-api builds and passes its own test against the
 * artifacts in the local Maven repository, with the wrapper, offline. In a reactor build
 * ({@code ./pagelab test}, which is {@code mvnw install}) the core and the API are installed before
 * this module's tests run, so it checks the artifacts of the same build.
 */
class DependencyTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path PROJECT = Path.of("src/test/resources/dependency-project");

    @Test
    void aSeparateProjectBuildsAndTestsAgainstTheInstalledApi(@TempDir Path tmp) throws IOException, InterruptedException {
        String repoProperty = System.getProperty("pagelab.localRepository");
        Path repo = repoProperty != null && !repoProperty.isBlank() ? Path.of(repoProperty)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path installed = repo.resolve("org/pagelab/pagelab-api/0.1.0-SNAPSHOT");
        if (!Files.isDirectory(installed)) {
            String why = "pagelab-api is not installed in " + repo + ": run ./pagelab test (mvnw install), not mvnw test";
            if (System.getenv("CI") != null) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        Path project = tmp.resolve("pagelab-user");
        DocumentTest.copyTree(PROJECT, project);
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-o", "-q", "-B",
                "-Dmaven.repo.local=" + repo, "-f", project.resolve("pom.xml").toString(), "test"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectOutput(tmp.resolve("build.log").toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the separate project's build ran longer than 300 s");
        }
        String log = Files.readString(tmp.resolve("build.log"));
        assertThat(p.exitValue()).as("mvnw -o test of a project depending on pagelab-api:\n%s", log).isZero();
        assertThat(project.resolve("target/surefire-reports/TEST-demo.PolicyIdeaTest.xml")).exists();
        assertThat(Files.readString(project.resolve("target/surefire-reports/TEST-demo.PolicyIdeaTest.xml")))
                .contains("tests=\"1\"").contains("failures=\"0\"").contains("errors=\"0\"");
    }
}
