package io.neurosurrogate.e2e;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.neurosurrogate.broker.EmbeddedKafkaBroker;
import io.neurosurrogate.client.ApiKeyHeader;
import io.neurosurrogate.client.ApiKeys;
import io.neurosurrogate.client.LocalStack;
import io.neurosurrogate.proto.v1.InferenceServiceGrpc;
import io.neurosurrogate.proto.v1.ListCampaignsRequest;
import io.neurosurrogate.proto.v1.ListLoadedModelsRequest;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.neurosurrogate.proto.v1.NeuroSurrogateGrpc;
import io.neurosurrogate.proto.v1.SimulatorServiceGrpc;
import io.neurosurrogate.proto.v1.TrainerServiceGrpc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole system on one machine: a real Kafka broker (KRaft, in this JVM) and the simulator,
 * trainer, inference and gateway services as child JVMs on loopback ports. Work files (broker log,
 * dataset store, model store, service logs) go to {@code <home>/.nsurr/<timestamp>/}.
 *
 * <p>The trainer may run as several replicas ({@link #start(Consumer, int)}): "trainer", "trainer-2",
 * "trainer-3", ... as service names, each with its own data directory, gRPC port and Kafka consumer group,
 * and the gateway spreads training jobs over them.
 *
 * <p>Each stack makes its own admin API key ({@link #apiKey()}); the gateway is given only its hash, and limits
 * high enough not to throttle the benchmarks that run through it.
 */
public final class ProcessLocalStack implements LocalStack {
    private static final String HOST = "127.0.0.1";
    /** The id of each stack's own admin key, as the gateway's log names it. */
    private static final String STACK_KEY_ID = "local-stack";
    /** The broker logs through JUL (slf4j-jdk14); its INFO chatter would bury the user's progress lines. */
    private static final List<java.util.logging.Logger> QUIET_LOGGERS = quietBrokerLogs();

    private final EmbeddedKafkaBroker broker;
    private final List<ServiceProcess> services;
    private final String gateway;
    private final Path workDir;
    private final Thread shutdownHook;
    private final Map<String, String> addresses;
    private final String apiKey;

    private ProcessLocalStack(EmbeddedKafkaBroker broker, List<ServiceProcess> services, Map<String, String> addresses, Path workDir,
                              String apiKey) {
        this.broker = broker;
        this.apiKey = apiKey;
        this.services = services;
        this.addresses = addresses;
        this.gateway = addresses.get("gateway");
        this.workDir = workDir;
        this.shutdownHook = new Thread(this::stopAll, "ns-local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private static long copyTree(Path from, Path to) throws IOException {
        long[] files = {0};
        try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                    files[0]++;
                }
            }
        }
        return files[0];
    }

    /** The project root: system property ns.home, env NS_HOME, or the working directory. */
    public static Path home() {
        String h = System.getProperty("ns.home", System.getenv("NS_HOME"));
        Path p = Path.of(h == null || h.isBlank() ? "." : h).toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("simulator-service")) && Files.isDirectory(p.getParent().resolve("simulator-service"))) {
            p = p.getParent();
        }
        return p;
    }

    /** The stack with one trainer. */
    public static ProcessLocalStack start(Consumer<String> progress) throws Exception {
        return start(progress, 1);
    }

    /**
     * @param trainers how many trainer replicas (at least 1; each a JVM with a 3 GB heap). With more than one,
     *                 each replica has its own data directory ({@code trainer}, {@code trainer-2}, ...), gRPC
     *                 port and advertised address, and its own Kafka consumer group ({@code ns.trainer.group-id}
     *                 = {@code ns-trainer}, {@code ns-trainer-2}, ...) so that every replica ingests every trace;
     *                 the gateway gets the comma-separated list of their addresses.
     */
    public static ProcessLocalStack start(Consumer<String> progress, int trainers) throws Exception {
        return start(progress, trainers, null);
    }

    /**
     * @param datasetsFrom a dataset store to copy into every trainer's data directory before it starts
     *                     (e.g. a previous run's {@code .nsurr/<run>/trainer/datasets}), or null
     */
    public static ProcessLocalStack start(Consumer<String> progress, int trainers, Path datasetsFrom) throws Exception {
        if (datasetsFrom != null && !Files.isDirectory(datasetsFrom)) {
            throw new IllegalArgumentException("--datasets-from " + datasetsFrom + " is not a directory (expected a dataset store: <neuron model>/<simulation>/chunk-N.pb)");
        }
        if (trainers < 1) {
            throw new IllegalArgumentException("a local stack needs at least one trainer, got " + trainers);
        }
        Path home = home();
        pruneOldRuns(home.resolve(".nsurr"), 4);
        Path workDir = home.resolve(".nsurr").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        Files.createDirectories(workDir);
        progress.accept("work directory " + workDir);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"), 0, false);
        progress.accept("Kafka broker (KRaft) ready at " + broker.bootstrapServers());
        List<ServiceProcess> started = new ArrayList<>();
        String apiKey = ApiKeys.generate();
        try {
            List<String> trainerNames = new ArrayList<>();
            for (int i = 1; i <= trainers; i++) {
                trainerNames.add(i == 1 ? "trainer" : "trainer-" + i);
            }
            List<String> names = new ArrayList<>();
            names.add("simulator");
            names.addAll(trainerNames);
            names.addAll(List.of("inference", "gateway"));
            Map<String, String> addr = new LinkedHashMap<>();
            for (String s : names) {
                addr.put(s, HOST + ":" + freePort());
            }
            String kafka = broker.bootstrapServers();
            started.add(launch(home, workDir, "simulator", "512m", addr, Map.of(
                    "kafka.bootstrap.servers", kafka)));
            for (String trainer : trainerNames) {
                Map<String, String> props = new LinkedHashMap<>();
                props.put("kafka.bootstrap.servers", kafka);
                props.put("ns.trainer.data-dir", workDir.resolve(trainer).toString());
                props.put("ns.trainer.advertised-address", addr.get(trainer));
                if (trainers > 1) {
                    props.put("ns.trainer.group-id", "ns-" + trainer);
                }
                if (datasetsFrom != null) {
                    long files = copyTree(datasetsFrom, workDir.resolve(trainer).resolve("datasets"));
                    progress.accept(trainer + ": dataset store seeded from " + datasetsFrom + " (" + files + " files)");
                }
                started.add(launch(home, workDir, trainer, "3g", addr, props));
            }
            started.add(launch(home, workDir, "inference", "1g", addr, Map.of(
                    "kafka.bootstrap.servers", kafka,
                    "ns.inference.cache-dir", workDir.resolve("inference").toString())));
            started.add(launch(home, workDir, "gateway", "512m", addr, Map.of(
                    "ns.gateway.simulator", addr.get("simulator"),
                    "ns.gateway.trainer", String.join(",", trainerNames.stream().map(addr::get).toList()),
                    "ns.gateway.inference", addr.get("inference"),
                    "ns.gateway.security.api-keys", ApiKeys.entry(STACK_KEY_ID, apiKey, List.of("admin")),
                    "ns.gateway.limits.requests-per-second", "100000",
                    "ns.gateway.limits.burst", "100000",
                    "ns.gateway.limits.max-streams-per-key", "1024")));
            progress.accept("started " + String.join(", ", names) + " (logs in " + workDir.resolve("logs") + ")");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            for (ServiceProcess p : started) {
                awaitReady(p, addr.get(p.name()), deadline, apiKey);
                progress.accept(p.name() + " ready at " + addr.get(p.name()));
            }
            return new ProcessLocalStack(broker, started, addr, workDir, apiKey);
        } catch (Exception | Error e) {
            started.forEach(ServiceProcess::close);
            broker.close();
            throw e;
        }
    }

    private static ServiceProcess launch(Path home, Path workDir, String name, String heap, Map<String, String> addr,
                                         Map<String, String> extra) throws IOException {
        String module = kind(name).equals("gateway") ? "gateway" : kind(name) + "-service";
        Path app = home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        Map<String, String> props = new LinkedHashMap<>();
        String port = addr.get(name).substring(addr.get(name).lastIndexOf(':') + 1);
        props.put("quarkus.grpc.server.host", HOST);
        props.put("quarkus.grpc.server.port", port);
        props.put("quarkus.http.host", HOST);
        props.put("quarkus.http.port", "0");
        props.put("quarkus.banner.enabled", "false");
        props.putAll(extra);
        return ServiceProcess.start(name, app, heap, props, workDir.resolve("logs").resolve(name + ".log"));
    }

    /** Ready = answers a cheap call of its own API over gRPC. */
    private static void awaitReady(ServiceProcess p, String address, long deadlineNanos, String apiKey) throws InterruptedException {
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        io.grpc.Channel gatewayChannel = ApiKeyHeader.on(ch, apiKey);
        try {
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(p.name() + " exited during start-up; log " + p.log() + ":\n" + p.logTail(40));
                }
                try {
                    switch (kind(p.name())) {
                        case "simulator" -> SimulatorServiceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                                .listCampaigns(ListCampaignsRequest.getDefaultInstance());
                        case "trainer" -> TrainerServiceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                                .listModels(ListModelsRequest.getDefaultInstance());
                        case "inference" -> InferenceServiceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                                .listLoadedModels(ListLoadedModelsRequest.getDefaultInstance());
                        default -> NeuroSurrogateGrpc.newBlockingStub(gatewayChannel).withDeadlineAfter(5, TimeUnit.SECONDS)
                                .listModels(ListModelsRequest.getDefaultInstance());
                    }
                    return;
                } catch (StatusRuntimeException e) {
                    if (System.nanoTime() > deadlineNanos) {
                        throw new IllegalStateException(p.name() + " not ready at " + address + ": " + e.getStatus() + "; log " + p.log()
                                + ":\n" + p.logTail(40));
                    }
                    Thread.sleep(300);
                }
            }
        } finally {
            ch.shutdownNow();
        }
    }

    /** The kind of service a name stands for: "trainer-2" is a trainer. */
    private static String kind(String name) {
        return name.replaceFirst("-[0-9]+$", "");
    }

    @Override
    public String gatewayAddress() {
        return gateway;
    }

    @Override
    public String apiKey() {
        return apiKey;
    }

    @Override
    public String inferenceAddress() {
        return addresses.get("inference");
    }

    /** host:port of one service: simulator, trainer (the first replica), trainer-2, ..., inference or gateway. */
    public String address(String service) {
        return addresses.get(service);
    }

    /** host:port of every trainer replica, the first one first. */
    public List<String> trainerAddresses() {
        return addresses.entrySet().stream().filter(e -> kind(e.getKey()).equals("trainer")).map(Map.Entry::getValue).toList();
    }

    @Override
    public String kafkaBootstrapServers() {
        return broker.bootstrapServers();
    }

    public Path workDir() {
        return workDir;
    }

    /** Stops one service abruptly (for crash tests). */
    public void kill(String service) {
        services.stream().filter(s -> s.name().equals(service)).forEach(ServiceProcess::close);
    }

    /**
     * Kills one service with SIGKILL (no shutdown hook runs, nothing is closed cleanly) and starts it
     * again with the same jar, heap and properties (same port, same data directories), its output
     * appended to the same log; returns once it answers again.
     */
    public void crashAndRestart(String service) throws IOException, InterruptedException {
        ServiceProcess restarted = killAndStart(service);
        awaitReady(restarted, addresses.get(service), System.nanoTime() + TimeUnit.MINUTES.toNanos(4), apiKey);
    }

    private synchronized ServiceProcess killAndStart(String service) throws IOException, InterruptedException {
        if (stopped) {
            throw new IllegalStateException("the stack is stopped");
        }
        for (int i = 0; i < services.size(); i++) {
            ServiceProcess old = services.get(i);
            if (old.name().equals(service)) {
                old.kill();
                ServiceProcess restarted = old.restart();
                services.set(i, restarted);
                return restarted;
            }
        }
        throw new IllegalArgumentException("no service '" + service + "'; the stack runs " + addresses.keySet());
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook runs stopAll itself
        }
        stopAll();
    }

    private boolean stopped;

    private synchronized void stopAll() {
        if (stopped) {
            return;
        }
        stopped = true;
        // Gateway first, broker last, so no service sees its dependencies vanish mid-request.
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        broker.close();
    }

    /** Keeps the newest {@code keep} run directories (names sort by start time), deletes the rest. */
    private static void pruneOldRuns(Path runs, int keep) throws IOException {
        if (!Files.isDirectory(runs)) {
            return;
        }
        List<Path> dirs;
        try (var list = Files.list(runs)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        for (Path old : dirs.subList(0, Math.max(0, dirs.size() - keep))) {
            try (var walk = Files.walk(old)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<java.util.logging.Logger> quietBrokerLogs() {
        List<java.util.logging.Logger> loggers = new ArrayList<>();
        for (String name : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
            java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
            l.setLevel(java.util.logging.Level.WARNING);
            loggers.add(l);
        }
        return loggers;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
