package org.pagelab.semantics;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * The arguments of a matrix test: every pair of a constant of the first enum and a constant of the
 * second, in declaration order, the first varying slowest (the order the kernel's selftests run
 * their cases in). The shared fixture of the scenario matrices (cow.c's two and gup_longterm.c's).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ArgumentsSource(EnumProduct.Provider.class)
@interface EnumProduct {
    /** The case enum, then the setup enum. */
    Class<? extends Enum<?>>[] value();

    /** Makes the pairs the annotation names. */
    final class Provider implements ArgumentsProvider, AnnotationConsumer<EnumProduct> {
        private Class<? extends Enum<?>>[] enums;

        @Override
        public void accept(EnumProduct product) {
            if (product.value().length != 2) {
                throw new IllegalArgumentException("@EnumProduct names " + product.value().length + " enums, not 2");
            }
            this.enums = product.value();
        }

        @Override
        public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
            List<Arguments> out = new ArrayList<>();
            for (Enum<?> a : enums[0].getEnumConstants()) {
                for (Enum<?> b : enums[1].getEnumConstants()) {
                    out.add(Arguments.of(a, b));
                }
            }
            return out.stream();
        }
    }
}
