package io.neurosurrogate.gateway.security;

import java.util.Map;
import java.util.Set;

/**
 * What a method needs, by its full gRPC name: no key (health checks), any valid key (server reflection: it
 * only describes the API), or a scope. A method named nowhere here needs {@code admin}, so that a method added
 * to a service later is closed until someone decides who may call it.
 */
public record MethodAccess(boolean needsKey, Scope scope) {
    public static final MethodAccess OPEN = new MethodAccess(false, null);
    public static final MethodAccess ANY_KEY = new MethodAccess(true, null);

    private static final String GATEWAY = "neurosurrogate.v1.NeuroSurrogate/";
    private static final Set<String> OPEN_SERVICES = Set.of("grpc.health.v1.Health");
    private static final Set<String> ANY_KEY_SERVICES = Set.of("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");
    private static final Map<String, Scope> SERVICE_SCOPES = Map.of("inference.GRPCInferenceService", Scope.PREDICT);
    private static final Map<String, Scope> METHOD_SCOPES = Map.ofEntries(
            Map.entry(GATEWAY + "Predict", Scope.PREDICT),
            Map.entry(GATEWAY + "Stream", Scope.PREDICT),
            Map.entry(GATEWAY + "ListModels", Scope.PREDICT),
            Map.entry(GATEWAY + "StartCampaign", Scope.TRAIN),
            Map.entry(GATEWAY + "GetCampaign", Scope.TRAIN),
            Map.entry(GATEWAY + "WatchCampaign", Scope.TRAIN),
            Map.entry(GATEWAY + "Simulate", Scope.TRAIN),
            Map.entry(GATEWAY + "StartTraining", Scope.TRAIN),
            Map.entry(GATEWAY + "GetTrainingJob", Scope.TRAIN),
            Map.entry(GATEWAY + "WatchTraining", Scope.TRAIN),
            Map.entry(GATEWAY + "CancelTraining", Scope.TRAIN),
            Map.entry(GATEWAY + "ListTrainingJobs", Scope.TRAIN),
            Map.entry(GATEWAY + "GetDataset", Scope.TRAIN),
            Map.entry(GATEWAY + "FetchArtifact", Scope.TRAIN));

    /** What calling {@code fullMethodName} ("package.Service/Method") needs. */
    public static MethodAccess of(String fullMethodName) {
        int slash = fullMethodName.indexOf('/');
        String service = slash < 0 ? fullMethodName : fullMethodName.substring(0, slash);
        if (OPEN_SERVICES.contains(service)) {
            return OPEN;
        }
        if (ANY_KEY_SERVICES.contains(service)) {
            return ANY_KEY;
        }
        Scope scope = METHOD_SCOPES.get(fullMethodName);
        if (scope == null) {
            scope = SERVICE_SCOPES.getOrDefault(service, Scope.ADMIN);
        }
        return new MethodAccess(true, scope);
    }
}
