package org.pagelab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version lines of {@code pagelab --version}: pagelab's version, read from the Maven descriptor
 * packaged in the jar, and the Java runtime it runs on.
 */
public final class Version implements IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/org.pagelab/pagelab-cli/pom.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            "pagelab " + pagelabVersion(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"
        };
    }

    /** pagelab's version, or "(development build)" when not run from the packaged jar. */
    static String pagelabVersion() {
        try (InputStream in = Version.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (IOException e) {
            return "(version unreadable: " + e.getMessage() + ")";
        }
        return "(development build)";
    }
}
