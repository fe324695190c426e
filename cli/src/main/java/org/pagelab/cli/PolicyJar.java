package org.pagelab.cli;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pagelab.policy.Policies;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The class loader of {@code --policy-jar}: the user's jar in front of pagelab's own classes. */
final class PolicyJar {

    private PolicyJar() {
    }

    /** pagelab's own loader when {@code jar} is null; a bad path is a usage error naming it. */
    static ClassLoader loader(CommandLine cl, Path jar) {
        ClassLoader own = Policies.class.getClassLoader();
        if (jar == null) {
            return own;
        }
        if (!Files.isRegularFile(jar)) {
            throw new ParameterException(cl, "--policy-jar '" + jar + "': no such file");
        }
        try {
            return new URLClassLoader("policy-jar", new URL[] {jar.toUri().toURL()}, own);
        } catch (MalformedURLException e) {
            throw new ParameterException(cl, "--policy-jar '" + jar + "': " + e.getMessage());
        }
    }
}
