package io.neurosurrogate.cli;

import io.neurosurrogate.client.LocalStack;
import io.neurosurrogate.client.LocalStackProvider;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Starts the local stack and keeps it running until interrupted (Ctrl-C). */
@Command(name = "up", description = "Start the local stack (Kafka broker + simulator, trainer, inference, gateway) until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Progress progress = new Progress(System.err);
        progress.stage("starting the local stack");
        LocalStack stack = LocalStackProvider.find().start(progress::detail);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "nsurr-shutdown"));
        System.out.println("gateway " + stack.gatewayAddress());
        System.out.println("kafka " + stack.kafkaBootstrapServers());
        System.out.println("Ctrl-C stops the stack.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
