package org.pagelab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.stat.VmItem;

/**
 * {@link MachineChecks}, run on the tests of {@link Fixture} through the JUnit launcher: a machine
 * a test leaves inconsistent fails the test, whether the test booted it or its
 * {@code @BeforeEach} did; a consistent one, a closed one and an {@link MachineChecks.Unchecked}
 * test pass.
 */
class MachineChecksTest {
    /** Tests run by the launcher only (a nested class surefire does not pick up on its own). */
    static class Fixture {
        Machine fromSetUp;

        @BeforeEach
        void boot() {
            fromSetUp = Machine.boot(PhysConfig.of(MemSize.parse("16M"), false));
        }

        /** Breaks {@code m}'s nr_file_pages: no cache holds the page it counts. */
        static void breakIt(Machine m) {
            m.vmstat().add(VmItem.NR_FILE_PAGES, 1);
        }

        @Test
        void consistent() {
            Machine.boot(PhysConfig.of(MemSize.parse("16M"), false));
        }

        @Test
        void brokenInTheTest() {
            breakIt(Machine.boot(PhysConfig.of(MemSize.parse("16M"), false)));
        }

        @Test
        void brokenInSetUp() {
            breakIt(fromSetUp);
        }

        @Test
        void brokenAndClosed() {
            breakIt(fromSetUp);
            fromSetUp.close();
        }

        @Test
        @MachineChecks.Unchecked("a test of the extension")
        void brokenButUnchecked() {
            breakIt(fromSetUp);
        }
    }

    /** A machine of the class, booted in {@code @BeforeAll}, which the second test breaks. */
    static class ClassFixture {
        static Machine shared;

        @BeforeAll
        static void boot() {
            shared = Machine.boot(PhysConfig.of(MemSize.parse("16M"), false));
        }

        @Test
        void a1consistent() {
        }

        @Test
        void a2broken() {
            Fixture.breakIt(shared);
        }
    }

    @Test
    @MachineChecks.Unchecked("the fixture's machines, booted on this thread too, are broken on purpose")
    void aMachineOfTheClassIsCheckedAfterEachTestAndNamedAsSuch() {
        Map<String, TestExecutionResult> results = run(ClassFixture.class);
        assertThat(results.get("a1consistent()").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(results.get("a2broken()").getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(results.get("a2broken()").getThrowable().orElseThrow())
                .hasMessageContaining("(its class, in @BeforeAll) booted fails its checkers");
    }

    /** The results of the tests of {@code fixture}, by display name, run with extension autodetection. */
    private static Map<String, TestExecutionResult> run(Class<?> fixture) {
        Map<String, TestExecutionResult> results = new TreeMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .configurationParameter("junit.jupiter.testmethod.order.default",
                        "org.junit.jupiter.api.MethodOrderer$MethodName").build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            results.put(id.getDisplayName(), result);
                        }
                    }
                });
        return results;
    }

    @Test
    @MachineChecks.Unchecked("the fixture's machines, booted on this thread too, are broken on purpose")
    void theChecksOfEveryMachineBootedRunAfterEachTest() {
        Map<String, TestExecutionResult> results = run(Fixture.class);
        assertThat(results.keySet()).containsExactly("brokenAndClosed()", "brokenButUnchecked()", "brokenInSetUp()",
                "brokenInTheTest()", "consistent()");
        for (String passes : new String[] {"consistent()", "brokenAndClosed()", "brokenButUnchecked()"}) {
            assertThat(results.get(passes).getStatus()).as(passes).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        }
        for (String fails : new String[] {"brokenInTheTest()", "brokenInSetUp()"}) {
            assertThat(results.get(fails).getStatus()).as(fails).isEqualTo(TestExecutionResult.Status.FAILED);
            assertThat(results.get(fails).getThrowable().orElseThrow())
                    .hasMessageContaining("booted fails its checkers after the test")
                    .hasMessageContaining("nr_file_pages")
                    .hasMessageNotContaining("its class");
        }
    }
}
