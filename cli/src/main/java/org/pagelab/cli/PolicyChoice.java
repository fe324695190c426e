package org.pagelab.cli;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pagelab.policy.Policies;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What the policy-only commands share about the policies asked for: the class loader of
 * {@code --policy-jar} (the user's jar in front of pagelab's own classes) and the check that every
 * capacity suits every policy.
 */
final class PolicyChoice {

    private PolicyChoice() {
    }

    /** A usage error naming {@code option} unless each of {@code names} works with each of {@code capacities}. */
    static void checkCapacities(CommandLine cl, String option, java.util.Collection<String> names, int[] capacities) {
        for (String name : names) {
            int min = Policies.minimumCapacity(name);
            for (int c : capacities) {
                if (c < min) {
                    throw new ParameterException(cl, option + ": policy " + Policies.canonical(name) + " needs at least "
                            + min + " pages, got " + c);
                }
            }
        }
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
