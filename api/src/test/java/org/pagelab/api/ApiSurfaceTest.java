package org.pagelab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The line the package essay draws: no public or protected member of org.pagelab.api mentions a
 * type outside the JDK, the API package and the few core types the essay names.
 */
class ApiSurfaceTest {
    /** The core types the API hands out or takes in, as the package essay lists them. */
    static final Set<String> CORE_TYPES_IN_API = Set.of("org.pagelab.memory.Access", "org.pagelab.policy.CachePolicy",
            "org.pagelab.policy.PolicyStats");

    static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(Lab.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/pagelab/api");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".class") && !n.equals("package-info.class")) {
                    out.add(Class.forName("org.pagelab.api." + n.substring(0, n.length() - 6)));
                }
            }
        }
        return out;
    }

    private static void types(Type t, List<String> out) {
        switch (t) {
            case Class<?> c when c.isArray() -> types(c.getComponentType(), out);
            case Class<?> c -> out.add(c.getName());
            case ParameterizedType p -> {
                types(p.getRawType(), out);
                for (Type a : p.getActualTypeArguments()) {
                    types(a, out);
                }
            }
            case GenericArrayType g -> types(g.getGenericComponentType(), out);
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) {
                    types(b, out);
                }
                for (Type b : w.getLowerBounds()) {
                    types(b, out);
                }
            }
            default -> { }
        }
    }

    private static boolean allowed(String name) {
        return name.startsWith("java.") || !name.contains(".") || name.startsWith("org.pagelab.api.")
                || CORE_TYPES_IN_API.contains(name);
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Every type a visible member of {@code c} names that is not allowed, as "Class.member: type". */
    static List<String> leaks(Class<?> c) {
        List<String> bad = new ArrayList<>();
        if (!visible(c.getModifiers())) {
            return bad;
        }
        List<Member> members = new ArrayList<>();
        members.addAll(List.of(c.getDeclaredMethods()));
        members.addAll(List.of(c.getDeclaredConstructors()));
        members.addAll(List.of(c.getDeclaredFields()));
        for (Member m : members) {
            if (!visible(m.getModifiers()) || m.isSynthetic()) {
                continue;
            }
            List<String> named = new ArrayList<>();
            switch (m) {
                case Executable e -> {
                    for (Type p : e.getGenericParameterTypes()) {
                        types(p, named);
                    }
                    for (Type x : e.getGenericExceptionTypes()) {
                        types(x, named);
                    }
                    if (e instanceof Method method) {
                        types(method.getGenericReturnType(), named);
                    }
                }
                case java.lang.reflect.Field f -> types(f.getGenericType(), named);
                default -> { }
            }
            named.stream().filter(n -> !allowed(n)).forEach(n -> bad.add(c.getSimpleName() + "." + m.getName() + ": " + n));
        }
        types(c.getGenericSuperclass() == null ? Object.class : c.getGenericSuperclass(), new ArrayList<>());
        for (Type i : c.getGenericInterfaces()) {
            List<String> named = new ArrayList<>();
            types(i, named);
            named.stream().filter(n -> !allowed(n)).forEach(n -> bad.add(c.getSimpleName() + " implements " + n));
        }
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                List<String> named = new ArrayList<>();
                types(rc.getGenericType(), named);
                named.stream().filter(n -> !allowed(n)).forEach(n -> bad.add(c.getSimpleName() + "." + rc.getName() + ": " + n));
            }
        }
        return bad;
    }

    @Test
    void no_visible_member_of_the_api_names_an_internal_type() throws Exception {
        List<Class<?>> classes = apiClasses();
        assertThat(classes).extracting(Class::getSimpleName).contains("Lab", "Proc", "LabFile", "PolicyStudy");
        List<String> bad = new ArrayList<>();
        for (Class<?> c : classes) {
            bad.addAll(leaks(c));
        }
        assertThat(bad).as("API members naming internal types (make them package-private, or list the type in"
                + " the package essay and CORE_TYPES_IN_API)").isEmpty();
    }

    /** A class that leaks, so the check above is known to catch one. */
    public static final class Leaky {
        public org.pagelab.machine.Machine machine() {
            return null;
        }

        public java.util.List<org.pagelab.phys.PhysConfig> configs() {
            return List.of();
        }
    }

    @Test
    void the_check_finds_internal_types_in_returns_and_type_arguments() {
        assertThat(leaks(Leaky.class)).containsExactlyInAnyOrder("Leaky.machine: org.pagelab.machine.Machine",
                "Leaky.configs: org.pagelab.phys.PhysConfig");
    }
}
