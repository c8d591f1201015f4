package io.neurosurrogate.cli;

import io.neurosurrogate.proto.v1.ModelVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Locale;
import java.util.concurrent.Callable;

/** Lists model versions with their headline metrics. */
@Command(name = "models", description = "List trained model versions and whether they are served.")
final class ModelsCommand implements Callable<Integer> {
    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Override
    public Integer call() throws Exception {
        try (GatewayOptions.Connection conn = gateway.connect(new Progress(System.err))) {
            System.out.println("model\tversion\tloaded\tneuron\tauc\trmse_mv\tsha256");
            for (ModelVersion v : conn.client().listModels()) {
                var m = v.getCard().getMetrics();
                System.out.println(String.format(Locale.ROOT, "%s\t%d\t%s\t%s\t%.4f\t%.3f\t%s", v.getModelName(), v.getVersion(), v.getLoaded(),
                        v.getCard().getNeuronModel(), m.getSpikeAuc(), m.getSomaRmseMv(), v.getSha256()));
            }
            return 0;
        }
    }
}
