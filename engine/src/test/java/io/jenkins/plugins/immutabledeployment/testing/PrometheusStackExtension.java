package io.jenkins.plugins.immutabledeployment.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests one {@link PrometheusStack} per test run: started on first use, kept in the root store, closed by
 * JUnit when the run ends (the store closes {@link AutoCloseable} values).
 */
public final class PrometheusStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PrometheusStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PrometheusStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(PrometheusStack.class, k -> PrometheusStack.start(), PrometheusStack.class);
    }
}
