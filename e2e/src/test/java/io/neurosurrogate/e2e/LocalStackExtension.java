package io.neurosurrogate.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local stack (real Kafka broker + the four packaged services) shared by all e2e test classes,
 * stopped when the test run ends.
 */
public final class LocalStackExtension implements BeforeAllCallback {
    private static ProcessLocalStack stack;

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws Exception {
        if (stack == null) {
            ProcessLocalStack started = ProcessLocalStack.start(line -> System.out.println("[stack] " + line));
            stack = started;
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .put("ns-local-stack", (ExtensionContext.Store.CloseableResource) started::close);
        }
    }

    public static ProcessLocalStack stack() {
        return stack;
    }
}
