package io.neurosurrogate.e2e;

import io.neurosurrogate.client.LocalStack;
import io.neurosurrogate.client.LocalStackProvider;

import java.util.function.Consumer;

/** Registered in META-INF/services so that {@code nsurr} finds the local stack. */
public final class ProcessLocalStackProvider implements LocalStackProvider {
    @Override
    public LocalStack start(Consumer<String> progress) throws Exception {
        return ProcessLocalStack.start(progress);
    }

    @Override
    public LocalStack start(Consumer<String> progress, int trainers) throws Exception {
        return ProcessLocalStack.start(progress, trainers);
    }

    @Override
    public LocalStack start(Consumer<String> progress, int trainers, java.nio.file.Path datasetsFrom) throws Exception {
        return ProcessLocalStack.start(progress, trainers, datasetsFrom);
    }
}
