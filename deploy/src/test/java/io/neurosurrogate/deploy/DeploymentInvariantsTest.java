package io.neurosurrogate.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What users of the Kubernetes deployment rely on, checked on every rendered variant: each container has
 * resources, probes on the port its service serves, runs as non-root with settings its service knows; only the
 * gateway is reachable from outside; every component has its Service, PodDisruptionBudget and (Deployments) its
 * HorizontalPodAutoscaler; the gateway's routes point at Services that exist; the gpu overlay puts the trainer and
 * inference on GPU nodes and the others on none.
 */
class DeploymentInvariantsTest {
    private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final String HTTP_PORT = "8080";

    /** A Deployment or StatefulSet. */
    record Workload(String kind, String name, PodTemplateSpec template) {
        PodSpec pod() {
            return template.getSpec();
        }

        Map<String, String> labels() {
            return template.getMetadata().getLabels();
        }

        Container container() {
            assertThat(pod().getContainers()).as(name + " containers").hasSize(1);
            return pod().getContainers().get(0);
        }

        String module() {
            String image = container().getImage();
            assertThat(image).as(name + " image").startsWith(Repo.IMAGE_PREFIX);
            String module = image.substring(Repo.IMAGE_PREFIX.length(), image.indexOf(':'));
            assertThat(Repo.SERVICES).as(name + " image names a service module").contains(module);
            return module;
        }

        Optional<String> env(String name) {
            return container().getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst();
        }
    }

    static List<String> variants() {
        return Manifests.variants();
    }

    static List<Workload> workloads(Manifests m) {
        List<Workload> out = new ArrayList<>();
        m.all(Deployment.class).forEach(d -> out.add(new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getTemplate())));
        m.all(StatefulSet.class).forEach(s -> out.add(new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getTemplate())));
        return out;
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyServiceRunsFromItsImageWithResourcesProbesAndNoRoot(String variant) {
        Manifests m = Manifests.render(variant);
        List<Workload> workloads = workloads(m);
        assertThat(workloads.stream().map(Workload::module))
                .as("one workload per service").containsExactlyInAnyOrderElementsOf(Repo.SERVICES);
        for (Workload w : workloads) {
            Container c = w.container();
            String module = w.module();
            ServiceConfig config = ServiceConfig.of(module);
            String tag = c.getImage().substring(c.getImage().indexOf(':') + 1);
            boolean cuda = tag.endsWith("-cuda");
            assertThat(tag).as(w.name + " image tag").isIn(Repo.version(), Repo.version() + "-cuda");
            String dockerfile = module + "/src/main/docker/" + (cuda ? "Dockerfile.cuda" : "Dockerfile.jvm");
            assertThat(Files.isRegularFile(Repo.path(dockerfile))).as(c.getImage() + " is built from " + dockerfile).isTrue();

            for (String kind : List.of("requests", "limits")) {
                Map<String, Quantity> r = kind.equals("requests") ? c.getResources().getRequests() : c.getResources().getLimits();
                assertThat(r).as(w.name + " resources." + kind).containsKeys("cpu", "memory");
            }
            assertThat(c.getPorts().stream().map(ContainerPort::getContainerPort))
                    .as(w.name + " ports").contains(config.grpcPort(), Integer.parseInt(HTTP_PORT));
            for (Probe p : new Probe[] {c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe()}) {
                assertThat(p).as(w.name + " readiness, liveness and startup probes").isNotNull();
                if (p.getGrpc() != null) {
                    assertThat(p.getGrpc().getPort()).as(w.name + " grpc probe port (grpc.health.v1)").isEqualTo(config.grpcPort());
                } else {
                    assertThat(p.getHttpGet()).as(w.name + " probe is grpc: or httpGet: on the health endpoints").isNotNull();
                    assertThat(p.getHttpGet().getPath()).startsWith("/q/health/");
                    assertThat(p.getHttpGet().getPort().getIntVal()).isEqualTo(Integer.parseInt(HTTP_PORT));
                    assertThat(w.env("QUARKUS_HTTP_PORT")).contains(HTTP_PORT);
                }
            }
            if (!variant.contains("tls")) {
                assertThat(c.getReadinessProbe().getGrpc()).as(w.name + " uses a grpc: probe").isNotNull();
            }

            PodSpec pod = w.pod();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(w.name + " runAsNonRoot").isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(w.name + " runAsUser").isPositive();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(w.name).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(w.name).contains("ALL");
            assertThat(pod.getHostNetwork()).as(w.name + " hostNetwork").isNotEqualTo(Boolean.TRUE);
            assertThat(c.getPorts()).as(w.name + " hostPort").allSatisfy(p -> assertThat(p.getHostPort()).isNull());
            if (Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem())) {
                assertThat(c.getVolumeMounts().stream().map(VolumeMount::getMountPath))
                        .as(w.name + ": read-only root, so java.io.tmpdir and the user's home (images' user nsurr), where"
                                + " native libraries unpack themselves, must be volumes").contains("/tmp", "/home/nsurr");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyEnvironmentVariableIsASettingOfItsService(String variant) {
        for (Workload w : workloads(Manifests.render(variant))) {
            ServiceConfig config = ServiceConfig.of(w.module());
            List<EnvVar> env = w.container().getEnv();
            List<String> referenced = new ArrayList<>();
            env.stream().map(EnvVar::getValue).filter(Objects::nonNull).forEach(v -> {
                Matcher m = VAR_REF.matcher(v);
                while (m.find()) {
                    referenced.add(m.group(1));
                }
            });
            for (EnvVar e : env) {
                if (referenced.contains(e.getName())) {
                    // Only there to be expanded into another variable (Kubernetes' $(VAR) syntax).
                    assertThat(e.getValueFrom()).as(w.name + " " + e.getName()).isNotNull();
                    continue;
                }
                assertThat(config.accepts(e.getName()))
                        .as(w.name + ": " + e.getName() + " is not a setting of " + w.module()
                                + " (no such key, set or commented, in its application.properties)")
                        .isTrue();
            }
            for (String r : referenced) {
                assertThat(env.stream().map(EnvVar::getName)).as(w.name + " defines $(" + r + ") before use").contains(r);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void onlyTheGatewayIsReachableFromOutside(String variant) {
        Manifests m = Manifests.render(variant);
        Map<String, String> gatewayPods = Map.of("app.kubernetes.io/name", "gateway");
        for (Service s : m.all(Service.class)) {
            String type = Optional.ofNullable(s.getSpec().getType()).orElse("ClusterIP");
            if (!type.equals("ClusterIP")) {
                assertThat(s.getSpec().getSelector()).as("externally exposed Service " + s.getMetadata().getName())
                        .isEqualTo(gatewayPods);
            }
        }
        assertThat(m.all(Service.class)).filteredOn(s -> "LoadBalancer".equals(s.getSpec().getType())
                || "NodePort".equals(s.getSpec().getType())).hasSize(1);
        assertThat(m.all(Ingress.class)).isEmpty();

        List<NetworkPolicy> policies = m.all(NetworkPolicy.class);
        assertThat(policies).as("a default-deny ingress policy for the whole namespace").anyMatch(p ->
                isEmpty(p.getSpec().getPodSelector().getMatchLabels()) && p.getSpec().getPodSelector().getMatchExpressions().isEmpty()
                        && p.getSpec().getPolicyTypes().contains("Ingress") && p.getSpec().getIngress().isEmpty());
        int grpc = ServiceConfig.of("gateway").grpcPort();
        for (NetworkPolicy p : policies) {
            for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
                if (rule.getFrom().isEmpty()) {
                    assertThat(p.getSpec().getPodSelector().getMatchLabels()).as(p.getMetadata().getName() + " admits anyone")
                            .isEqualTo(gatewayPods);
                    assertThat(rule.getPorts().stream().map(port -> port.getPort().getIntVal())).containsExactly(grpc);
                }
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    if (peer.getNamespaceSelector() != null || peer.getIpBlock() != null) {
                        assertThat(rule.getPorts().stream().map(port -> String.valueOf(port.getPort().getIntVal())))
                                .as(p.getMetadata().getName() + ": from other namespaces only the metrics port").containsExactly(HTTP_PORT);
                    }
                }
            }
        }
        // What the system needs to work gets through.
        List<Workload> ws = workloads(m);
        Workload gateway = byModule(ws, "gateway");
        Workload inference = byModule(ws, "inference-service");
        for (Workload callee : ws) {
            if (callee == gateway) {
                continue;
            }
            int port = ServiceConfig.of(callee.module()).grpcPort();
            assertThat(admitted(policies, gateway.labels(), callee.labels(), port)).as("gateway -> " + callee.name + ":" + port).isTrue();
        }
        Workload trainer = byModule(ws, "trainer-service");
        assertThat(admitted(policies, inference.labels(), trainer.labels(), ServiceConfig.of("trainer-service").grpcPort()))
                .as("inference fetches models from the trainer").isTrue();
        assertThat(admitted(policies, Map.of("app", "somebody-else"), trainer.labels(), ServiceConfig.of("trainer-service").grpcPort()))
                .as("other pods may not call the trainer").isFalse();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyComponentHasItsServiceDisruptionBudgetAndAutoscaler(String variant) {
        Manifests m = Manifests.render(variant);
        for (Workload w : workloads(m)) {
            int port = ServiceConfig.of(w.module()).grpcPort();
            List<Service> services = m.all(Service.class).stream()
                    .filter(s -> selects(s.getSpec().getSelector(), w.labels())).toList();
            assertThat(services).as(w.name + " has a Service").hasSize(1);
            assertThat(services.get(0).getSpec().getPorts().stream().map(ServicePort::getPort)).contains(port);
            assertThat(m.all(PodDisruptionBudget.class)).as(w.name + " PodDisruptionBudget")
                    .filteredOn(b -> selects(b.getSpec().getSelector().getMatchLabels(), w.labels())).hasSize(1);
            if (w.kind.equals("Deployment")) {
                assertThat(m.all(HorizontalPodAutoscaler.class)).as(w.name + " HorizontalPodAutoscaler")
                        .filteredOn(h -> h.getSpec().getScaleTargetRef().getKind().equals("Deployment")
                                && h.getSpec().getScaleTargetRef().getName().equals(w.name))
                        .singleElement().satisfies(h -> assertThat(h.getSpec().getMaxReplicas()).isGreaterThanOrEqualTo(h.getSpec().getMinReplicas()));
            }
        }
        assertThat(m.all(HorizontalPodAutoscaler.class)).allSatisfy(h -> assertThat(workloads(m))
                .anyMatch(w -> w.name.equals(h.getSpec().getScaleTargetRef().getName())));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void theGatewayRoutesToServicesThatExist(String variant) {
        Manifests m = Manifests.render(variant);
        List<Workload> ws = workloads(m);
        Workload gateway = byModule(ws, "gateway");
        StatefulSet trainerSet = m.all(StatefulSet.class).get(0);
        String trainerService = trainerSet.getSpec().getServiceName();
        int trainerPort = ServiceConfig.of("trainer-service").grpcPort();
        assertThat(m.one(Service.class, trainerService).getSpec().getClusterIP()).as("trainer pods' DNS names").isEqualTo("None");

        String simulator = gateway.env("NS_GATEWAY_SIMULATOR").orElseThrow();
        assertThat(serviceAddress(m, simulator)).isEqualTo(ServiceConfig.of("simulator-service").grpcPort());

        for (String t : gateway.env("NS_GATEWAY_TRAINER").orElseThrow().split(",")) {
            Matcher mt = Pattern.compile(trainerSet.getMetadata().getName() + "-(\\d+)\\." + Pattern.quote(trainerService) + ":(\\d+)").matcher(t.strip());
            assertThat(mt.matches()).as("trainer address " + t + " names a trainer pod").isTrue();
            assertThat(Integer.parseInt(mt.group(1))).isLessThan(trainerSet.getSpec().getReplicas());
            assertThat(Integer.parseInt(mt.group(2))).isEqualTo(trainerPort);
        }
        assertThat(byModule(ws, "trainer-service").env("NS_TRAINER_ADVERTISED_ADDRESS"))
                .as("the address the trainer writes into its models").contains("$(POD_NAME)." + trainerService + ":" + trainerPort);

        String inference = gateway.env("NS_GATEWAY_INFERENCE").orElseThrow();
        assertThat(inference).as("one dns:/// target balanced per pod").startsWith("dns:///");
        String host = inference.substring("dns:///".length(), inference.lastIndexOf(':'));
        assertThat(serviceAddress(m, inference.substring("dns:///".length()))).isEqualTo(ServiceConfig.of("inference-service").grpcPort());
        assertThat(m.one(Service.class, host).getSpec().getClusterIP()).as("inference Service is headless").isEqualTo("None");

        // API keys: a file from the Secret, mounted as a directory so that updates of the Secret reach it.
        String keysFile = gateway.env("NS_GATEWAY_SECURITY_API_KEYS_FILE").orElseThrow();
        VolumeMount mount = gateway.container().getVolumeMounts().stream()
                .filter(vm -> keysFile.startsWith(vm.getMountPath() + "/")).findFirst().orElseThrow();
        assertThat(mount.getSubPath()).isNull();
        Volume volume = gateway.pod().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        Secret secret = m.one(Secret.class, volume.getSecret().getSecretName());
        assertThat(secret.getData()).containsKey(keysFile.substring(mount.getMountPath().length() + 1));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void gpusOnlyWhereTheGpuOverlayAsksForThem(String variant) {
        Manifests m = Manifests.render(variant);
        boolean gpu = variant.equals("gpu");
        for (Workload w : workloads(m)) {
            boolean wants = gpu && (w.module().equals("trainer-service") || w.module().equals("inference-service"));
            Container c = w.container();
            assertThat(c.getResources().getLimits().containsKey("nvidia.com/gpu")).as(w.name + " nvidia.com/gpu limit").isEqualTo(wants);
            assertThat(c.getImage().endsWith("-cuda")).as(w.name + " CUDA image").isEqualTo(wants);
            if (wants) {
                assertThat(c.getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
                assertThat(w.pod().getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
                assertThat(w.pod().getTolerations()).anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()) && "NoSchedule".equals(t.getEffect()));
            } else {
                assertThat(w.pod().getTolerations()).noneMatch(t -> "nvidia.com/gpu".equals(t.getKey()));
            }
            if (w.module().equals("inference-service")) {
                assertThat(w.env("NS_INFERENCE_EXECUTION_PROVIDER").orElse("cpu")).isEqualTo(wants ? "cuda" : "cpu");
            }
        }
    }

    private static int serviceAddress(Manifests m, String hostPort) {
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        assertThat(m.one(Service.class, host).getSpec().getPorts().stream().map(ServicePort::getPort))
                .as("Service " + host + " port").contains(port);
        return port;
    }

    private static Workload byModule(List<Workload> ws, String module) {
        return ws.stream().filter(w -> w.module().equals(module)).findFirst().orElseThrow();
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static boolean isEmpty(Map<?, ?> m) {
        return m == null || m.isEmpty();
    }

    /** True if some policy selecting the target pods lets a pod with {@code from} labels (same namespace) in on {@code port}. */
    private static boolean admitted(List<NetworkPolicy> policies, Map<String, String> from, Map<String, String> to, int port) {
        for (NetworkPolicy p : policies) {
            var sel = p.getSpec().getPodSelector();
            boolean selectsTarget = (isEmpty(sel.getMatchLabels()) || to.entrySet().containsAll(sel.getMatchLabels().entrySet()))
                    && sel.getMatchExpressions().stream().allMatch(e -> e.getOperator().equals("In") && e.getValues().contains(to.get(e.getKey())));
            if (!selectsTarget) {
                continue;
            }
            for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
                boolean portOk = rule.getPorts().isEmpty()
                        || rule.getPorts().stream().map(NetworkPolicyPort::getPort).anyMatch(pp -> pp != null && Objects.equals(pp.getIntVal(), port));
                boolean fromOk = rule.getFrom().isEmpty() || rule.getFrom().stream().anyMatch(peer -> peer.getNamespaceSelector() == null
                        && peer.getIpBlock() == null && peer.getPodSelector() != null
                        && selects(peer.getPodSelector().getMatchLabels(), from));
                if (portOk && fromOk) {
                    return true;
                }
            }
        }
        return false;
    }
}
