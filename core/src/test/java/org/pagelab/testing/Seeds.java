package org.pagelab.testing;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * The seeds of pagelab's randomized tests, and the extension that names them in every failure.
 *
 * <h2>The convention</h2>
 * Every randomized test draws its randomness from a seed it gets here; none from the clock, none
 * fixed only in code. Each test keeps its own fixed default seeds in code, so a plain run (and CI)
 * is deterministic; two system properties replace them:
 * <ul>
 *   <li>{@code -Dpagelab.seed=N}: the first seed. The test runs N, N+1, N+2, ...</li>
 *   <li>{@code -Dpagelab.seeds=K}: how many seeds. Without it a test runs as many as it does by
 *       default; with it and without {@code pagelab.seed} it runs K consecutive seeds from its first
 *       default seed.</li>
 * </ul>
 * A test's behaviour depends only on its seed, never on the seed's place in the list (a setting
 * that varies from seed to seed, THP on or off, is a function of the seed), so
 * {@code -Dpagelab.seed=N -Dpagelab.seeds=1} replays a failing seed N exactly.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * @ExtendWith(Seeds.class)
 * class SomeModelTest {
 *     @ParameterizedTest(name = "seed {0}")
 *     @SeedSource(first = 20261126L, count = 3)                  // 20261126, ..27, ..28 by default
 *     void aProperty(long seed) { SplittableRandom rnd = new SplittableRandom(seed); ... }
 *
 *     @Test
 *     void aUnitTestWithRandomContent() { new SplittableRandom(Seeds.derive(7)).nextBytes(content); ... }
 *
 *     @Test
 *     void manySmallRuns() { for (long seed : Seeds.of(1, 50)) Seeds.check(seed, () -> ...); }
 * }
 * }</pre>
 * As an extension ({@link SeedSource} registers it), {@code Seeds} rethrows a failure of a
 * {@link SeedSource} test, or of a test that drew a stream with {@link #derive}, as an
 * {@link AssertionError} whose message begins with the seed and the exact command that replays it
 * (the original failure is its cause). {@link #check} does the same for one seed of a loop.
 * {@code .ci/seed-campaign} runs the model tests with fresh seeds through these properties.
 */
public final class Seeds implements InvocationInterceptor, BeforeEachCallback {
    /** The system property with the first seed. */
    public static final String SEED = "pagelab.seed";
    /** The system property with the number of seeds. */
    public static final String COUNT = "pagelab.seeds";

    private static final ThreadLocal<Set<Long>> DRAWN = ThreadLocal.withInitial(LinkedHashSet::new);

    /** A body that may throw, run for one seed. */
    @FunctionalInterface
    public interface Body {
        void run() throws Throwable;
    }

    /**
     * The seeds of a test whose defaults are {@code count} consecutive seeds from {@code first}.
     * Requires: {@code count >= 1}.
     */
    public static long[] of(long first, int count) {
        return spaced(first, 1, count);
    }

    /**
     * The seeds of a test whose defaults are {@code count} seeds {@code step} apart from
     * {@code first}. Requires: {@code count >= 1}.
     */
    public static long[] spaced(long first, long step, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("seed count " + count + " < 1");
        }
        long[] d = new long[count];
        for (int i = 0; i < count; i++) {
            d[i] = first + i * step;
        }
        return list(d);
    }

    /**
     * The seeds of a test whose defaults are the seeds {@code defaults}, in that order: the
     * defaults themselves unless {@code pagelab.seed} or {@code pagelab.seeds} is set.
     * Requires: at least one default.
     */
    public static long[] list(long... defaults) {
        if (defaults.length == 0) {
            throw new IllegalArgumentException("no default seeds");
        }
        Long given = Long.getLong(SEED);
        int count = count(defaults.length);
        if (given == null && count == defaults.length) {
            return defaults.clone();
        }
        long first = given != null ? given : defaults[0];
        long[] s = new long[count];
        for (int i = 0; i < count; i++) {
            s[i] = first + i;
        }
        return s;
    }

    /**
     * The seed of one random stream of a test that runs once (a {@code @Test}, not a list of seeds):
     * {@code local} itself by default, so the test's fixed default stays as it was, and
     * {@code local ^ N} under {@code -Dpagelab.seed=N}, so every stream of the test changes with N and
     * distinct streams stay distinct. The extension names N (0 by default) if the test fails;
     * {@code -Dpagelab.seed=0} is the default run.
     */
    public static long derive(long local) {
        long seed = Long.getLong(SEED, 0L);
        DRAWN.get().add(seed);
        return local ^ seed;
    }

    /**
     * Runs {@code body} for {@code seed}; a failure comes back as an {@link AssertionError} naming
     * the seed and the command that replays it, with the failure as its cause.
     */
    public static void check(long seed, Body body) {
        StackWalker.StackFrame caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(s -> s.skip(1).findFirst()).orElseThrow();
        try {
            body.run();
        } catch (TestAbortedException | SeededFailure t) {
            throw t;
        } catch (Throwable t) {
            throw failure(t, caller.getDeclaringClass(), caller.getMethodName(), List.of(seed));
        }
    }

    /** The command that runs {@code method} of {@code testClass} for {@code seed} alone. */
    public static String replayCommand(Class<?> testClass, String method, long seed) {
        return "./mvnw -B -pl " + module(testClass) + " test -Dtest='" + testClass.getSimpleName()
                + (method == null ? "" : "#" + method) + "' -Dsurefire.failIfNoSpecifiedTests=false -D" + SEED + "="
                + seed + " -D" + COUNT + "=1";
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        DRAWN.get().clear();
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        List<Long> seeds = call.getExecutable().isAnnotationPresent(SeedSource.class)
                ? List.of((Long) call.getArguments().get(0)) : List.of();
        proceed(invocation, call, seeds);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        proceed(invocation, call, List.of());
    }

    private static void proceed(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, List<Long> seeds)
            throws Throwable {
        try {
            invocation.proceed();
        } catch (Throwable t) {
            List<Long> all = new ArrayList<>(seeds);
            all.addAll(DRAWN.get());
            if (all.isEmpty() || t instanceof TestAbortedException || t instanceof SeededFailure) {
                throw t;
            }
            throw failure(t, call.getTargetClass(), call.getExecutable().getName(), all);
        } finally {
            DRAWN.get().clear();
        }
    }

    /** A failure whose message already names its seed and replay command. */
    private static final class SeededFailure extends AssertionError {
        SeededFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static SeededFailure failure(Throwable t, Class<?> testClass, String method, List<Long> seeds) {
        String replay = seeds.stream().map(s -> replayCommand(testClass, method, s))
                .collect(Collectors.joining("\n  "));
        String names = seeds.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return new SeededFailure((seeds.size() == 1 ? "seed " : "seeds ") + names + " failed; replay with\n  " + replay
                + "\n" + t, t);
    }

    private static int count(int defaultCount) {
        String v = System.getProperty(COUNT);
        if (v == null || v.isBlank()) {
            return defaultCount;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + COUNT + "=" + v + ": not a number of seeds", e);
        }
        if (n < 1) {
            throw new IllegalArgumentException("-D" + COUNT + "=" + v + ": at least 1");
        }
        return n;
    }

    /** The Maven module whose test classes hold {@code testClass} ("core" when that cannot be told). */
    private static String module(Class<?> testClass) {
        try {
            Path classes = Path.of(testClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = classes.getParent();
            if (target != null && target.getFileName().toString().equals("target") && target.getParent() != null
                    && Files.isRegularFile(target.getParent().resolve("pom.xml"))) {
                return target.getParent().getFileName().toString();
            }
        } catch (Exception e) {
            return "core";
        }
        return "core";
    }

    private Seeds() {
    }
}
