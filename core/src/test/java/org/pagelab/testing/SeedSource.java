package org.pagelab.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.AnnotationBasedArgumentsProvider;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * The seeds of a {@code @ParameterizedTest} whose one argument is its seed: the default seeds listed
 * ({@code @SeedSource({1, 42, 4711})}) or spaced ({@code @SeedSource(first = 20261126L, count = 3)},
 * {@code step} 1 unless given), replaced as {@link Seeds#list} says when {@code -Dpagelab.seed} or
 * {@code -Dpagelab.seeds} is set; a failure is reported with its seed and replay command by the
 * {@link Seeds} extension, which this annotation registers. Requires: a list, or a count of at least
 * one, not both.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ArgumentsSource(SeedSource.Provider.class)
@ExtendWith(Seeds.class)
public @interface SeedSource {
    /** The default seeds, run in this order when neither property is set. */
    long[] value() default {};

    /** Without a list: the first default seed. */
    long first() default 0;

    /** Without a list: how many default seeds. */
    int count() default 0;

    /** Without a list: how far apart the default seeds are. */
    long step() default 1;

    /**
     * Reclaim policies by registry name: when given, each seed runs once per policy, in this order,
     * with the policy's name as the test's second argument, so a model test covers every policy
     * with the same random steps.
     */
    String[] policies() default {};

    /** The arguments of a {@link SeedSource}. */
    final class Provider extends AnnotationBasedArgumentsProvider<SeedSource> {
        @Override
        protected Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context,
                SeedSource source) {
            if (source.value().length > 0 == source.count() > 0) {
                throw new IllegalArgumentException("@SeedSource needs a list of seeds or a count, not both: "
                        + context.getDisplayName());
            }
            long[] seeds = source.value().length > 0 ? Seeds.list(source.value())
                    : Seeds.spaced(source.first(), source.step(), source.count());
            if (source.policies().length == 0) {
                return Arrays.stream(seeds).mapToObj(Arguments::of);
            }
            return Arrays.stream(seeds).boxed()
                    .flatMap(seed -> Arrays.stream(source.policies()).map(policy -> Arguments.of(seed, policy)));
        }
    }
}
