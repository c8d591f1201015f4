package io.neurosurrogate.cli;

import io.neurosurrogate.client.LocalStack;
import io.neurosurrogate.client.LocalStackProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Starts the local stack and keeps it running until interrupted (Ctrl-C). */
@Command(name = "up", description = "Start the local stack (Kafka broker + simulator, trainer, inference, gateway) until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
    /** Each trainer replica is a JVM with a 3 GB heap: more than this does not fit a workstation. */
    static final int MAX_TRAINERS = 8;

    @Option(names = "--trainers", description = "trainer-service replicas behind the gateway, 1 to " + MAX_TRAINERS
            + ", each a JVM with a 3 GB heap and its own model store (default ${DEFAULT-VALUE})")
    int trainers = 1;

    @Option(names = "--datasets-from", paramLabel = "DIR", description = "every trainer replica starts with a copy of this dataset store"
            + " (a previous run's .nsurr/<run>/trainer/datasets)")
    java.nio.file.Path datasetsFrom;

    @Override
    public Integer call() throws Exception {
        if (trainers < 1 || trainers > MAX_TRAINERS) {
            throw new IllegalArgumentException("--trainers must be between 1 and " + MAX_TRAINERS + ", got " + trainers);
        }
        Progress progress = new Progress(System.err);
        progress.stage(trainers == 1 ? "starting the local stack" : "starting the local stack with " + trainers + " trainer replicas");
        LocalStack stack = datasetsFrom == null
                ? LocalStackProvider.find().start(progress::detail, trainers)
                : LocalStackProvider.find().start(progress::detail, trainers, datasetsFrom);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "nsurr-shutdown"));
        System.out.println("gateway " + stack.gatewayAddress());
        System.out.println("api-key " + stack.apiKey() + "   (admin key of this stack: nsurr ... --gateway " + stack.gatewayAddress()
                + " --api-key <key>, or NS_API_KEY)");
        System.out.println("kafka " + stack.kafkaBootstrapServers());
        System.out.println("inference " + stack.inferenceAddress());
        System.out.println("Ctrl-C stops the stack.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
