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
 * The seeds of a {@code @ParameterizedTest} whose one argument is its seed: the listed defaults,
 * replaced as {@link Seeds#list} says when {@code -Dpagelab.seed} or {@code -Dpagelab.seeds} is set,
 * and a failure reported with its seed and replay command by the {@link Seeds} extension, which
 * this annotation registers. Requires: at least one default.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ArgumentsSource(SeedSource.Provider.class)
@ExtendWith(Seeds.class)
public @interface SeedSource {
    /** The default seeds, run in this order when neither property is set. */
    long[] value();

    /** The arguments of a {@link SeedSource}. */
    final class Provider extends AnnotationBasedArgumentsProvider<SeedSource> {
        @Override
        protected Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context,
                SeedSource source) {
            return Arrays.stream(Seeds.list(source.value())).mapToObj(Arguments::of);
        }
    }
}
