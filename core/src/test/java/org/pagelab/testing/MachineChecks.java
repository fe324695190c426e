package org.pagelab.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.pagelab.machine.BootWatch;
import org.pagelab.machine.Machine;

/**
 * Runs every checker of every machine a test built, after the test: the rule "tests run
 * checkers" without each test writing an {@code @AfterEach} for it.
 *
 * <p>Registered for every test of core by JUnit's extension autodetection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension},
 * {@code junit.jupiter.extensions.autodetection.enabled} in {@code junit-platform.properties}). It
 * watches the machines booted on the test's thread ({@link BootWatch}) from before
 * {@code @BeforeAll} and {@code @BeforeEach} methods run, and when the test method returns
 * (before {@code @AfterEach} methods, which may close the machines) runs {@link Machine#check()}
 * on each one that is still open and still reachable (it holds them weakly, so a test that boots thousands of machines keeps none alive),
 * in boot order. A machine booted in {@code @BeforeAll} is checked after every test of its class.
 * A checker's failure fails the test, naming the machine's place in the boot order; a test that
 * failed already is not checked (its own failure says more). A test whose machines are
 * broken on purpose (a test of a checker) says so with {@link Unchecked}.
 */
public final class MachineChecks
        implements BeforeAllCallback, BeforeEachCallback, InvocationInterceptor, AfterEachCallback, AfterAllCallback {
    /** Turns the checks off for a test method or class whose machines are left inconsistent on purpose. */
    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Unchecked {
        /** Why the machines of the test are not checked. */
        String value();
    }

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MachineChecks.class);

    /** The machines booted while a watch was open, weakly, in boot order. */
    private static final class Watched implements AutoCloseable {
        final List<WeakReference<Machine>> machines = new ArrayList<>();
        final BootWatch watch = BootWatch.open(m -> {
            machines.add(new WeakReference<>(m));
            enableMthpSizes(m);
        });

        @Override
        public void close() {
            watch.close();
        }
    }

    /**
     * {@code -Dpagelab.mthp=16,64,...}: the sizes in kB that every machine a test boots starts with
     * set to {@code inherit} (they follow the top-level transparent_hugepage setting), so that any
     * test can be run with multi-size THP faults in play. Unset, machines boot as the kernel does.
     */
    private static void enableMthpSizes(Machine m) {
        String sizes = System.getProperty("pagelab.mthp", "");
        for (String kb : sizes.split(",")) {
            if (!kb.isBlank()) {
                int order = org.pagelab.memory.MthpSettings.orderOfKb(Integer.parseInt(kb.strip()));
                m.memory().mthp().setEnabled(order, org.pagelab.memory.MthpEnabled.INHERIT);
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("class", new Watched());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // the class's machines are those its @BeforeAll methods booted, which have run by now
        context.getParent().map(p -> p.getStore(NS).get("class", Watched.class)).ifPresent(Watched::close);
        context.getStore(NS).put("method", new Watched());
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        invocation.proceed();
        checkAll(context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        invocation.proceed();
        checkAll(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Watched method = context.getStore(NS).remove("method", Watched.class);
        if (method != null) {
            method.close();
        }
    }

    /** Runs the checkers of every machine the test and its class booted that is still open. */
    private static void checkAll(ExtensionContext context) {
        if (unchecked(context)) {
            return;
        }
        Watched classLevel = context.getParent().map(p -> p.getStore(NS).get("class", Watched.class)).orElse(null);
        Watched method = context.getStore(NS).get("method", Watched.class);
        int n = 0;
        for (Watched w : new Watched[] {classLevel, method}) {
            if (w == null) {
                continue;
            }
            for (WeakReference<Machine> ref : w.machines) {
                n++;
                Machine m = ref.get();
                if (m == null || m.closed()) {
                    continue;
                }
                try {
                    m.check();
                } catch (RuntimeException | AssertionError e) {
                    throw new AssertionError("machine " + n + " that " + context.getDisplayName()
                            + (w == classLevel ? " (its class, in @BeforeAll)" : "") + " booted fails its checkers after the test: "
                            + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Watched classLevel = context.getStore(NS).remove("class", Watched.class);
        if (classLevel != null) {
            classLevel.close();
        }
    }

    private static boolean unchecked(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, Unchecked.class)).orElse(false)
                || context.getTestClass().map(c -> AnnotationSupport.isAnnotated(c, Unchecked.class)).orElse(false);
    }
}
