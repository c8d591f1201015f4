package io.neurosurrogate.cli;

import io.neurosurrogate.client.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code nsurr keys new}: makes a gateway API key and the entry that configures it. */
@Command(name = "keys", description = "Gateway API keys.", subcommands = KeysCommand.New.class)
final class KeysCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "new", description = "Print a fresh API key (shown once: store it now) and its entry for the gateway's key file"
            + " (ns.gateway.security.api-keys-file) or ns.gateway.security.api-keys.")
    static final class New implements Callable<Integer> {
        private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
        private static final List<String> SCOPES = List.of("predict", "train", "admin");

        @Spec
        CommandSpec spec;

        @Option(names = "--id", description = "key id, the name logs and errors show (default: key-<random>)")
        String id;

        @Option(names = "--scopes", split = ",", description = "comma-separated scopes: predict, train, admin (default: ${DEFAULT-VALUE})")
        List<String> scopes = new ArrayList<>(List.of("predict"));

        @Override
        public Integer call() {
            String key = ApiKeys.generate();
            String keyId = id != null ? id : String.format("key-%08x", new java.security.SecureRandom().nextInt()); // not from the key: ids are logged
            if (!KEY_ID.matcher(keyId).matches()) {
                throw new IllegalArgumentException("--id must be 1 to 64 of A-Z a-z 0-9 . _ -, got '" + keyId + "'");
            }
            for (String s : scopes) {
                if (!SCOPES.contains(s)) {
                    throw new IllegalArgumentException("unknown scope '" + s + "' (valid: " + String.join(", ", SCOPES) + ")");
                }
            }
            spec.commandLine().getOut().println("key   " + key);
            spec.commandLine().getOut().println("entry " + ApiKeys.entry(keyId, key, scopes));
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().println("The key is shown only now; the gateway keeps its SHA-256. Callers send it as 'authorization: Bearer <key>'"
                    + " (nsurr: --api-key or NS_API_KEY).");
            return 0;
        }
    }
}
