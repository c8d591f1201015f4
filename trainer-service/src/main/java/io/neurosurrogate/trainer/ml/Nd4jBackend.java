package io.neurosurrogate.trainer.ml;

import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Which ND4J backend this JVM trains on: the CPU one (nd4j-native, OpenBLAS/MKL) or the CUDA one
 * (nd4j-cuda, built with {@code mvn -Pcuda}). The backend is chosen by ND4J at start-up from the
 * jars on the classpath, so the answer is read from ND4J itself, not from configuration.
 */
public final class Nd4jBackend {
    public static final String CPU = "cpu";
    public static final String CUDA = "cuda";

    private Nd4jBackend() {
    }

    /** {@code "cuda"} when ND4J runs on its CUDA backend, else {@code "cpu"}. */
    public static String name() {
        return classify(Nd4j.getBackend().getClass().getName(), environment().get(Nd4jEnvironment.BACKEND_KEY));
    }

    /**
     * One line: backend and its class, BLAS vendor and threads, and for CUDA the device(s), e.g.
     * {@code cpu (CpuBackend): OPENBLAS, 16 BLAS threads, 16 OpenMP threads, 16 cores}.
     */
    public static String describe() {
        Properties env = environment();
        String name = classify(Nd4j.getBackend().getClass().getName(), env.get(Nd4jEnvironment.BACKEND_KEY));
        StringBuilder sb = new StringBuilder(name).append(" (").append(Nd4j.getBackend().getClass().getSimpleName()).append("): ")
                .append(env.getOrDefault(Nd4jEnvironment.BLAS_VENDOR_KEY, "unknown BLAS"));
        appendCount(sb, env.get(Nd4jEnvironment.BLAS_THREADS_KEY), "BLAS threads");
        appendCount(sb, env.get(Nd4jEnvironment.OMP_THREADS_KEY), "OpenMP threads");
        appendCount(sb, env.get(Nd4jEnvironment.CPU_CORES_KEY), "cores");
        if (env.get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY) instanceof List<?> devices) {
            for (int i = 0; i < devices.size(); i++) {
                if (devices.get(i) instanceof Map<?, ?> d) {
                    sb.append(", device ").append(i).append(' ').append(d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY));
                    Object major = d.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY);
                    if (major != null) {
                        sb.append(" sm_").append(major).append(d.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY));
                    }
                    if (d.get(Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY) instanceof Number total) {
                        sb.append(String.format(Locale.ROOT, " %.0f GiB", total.doubleValue() / (1L << 30)));
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * The backend from ND4J's backend class (org.nd4j.linalg.jcublas.JCublasBackend for CUDA,
     * org.nd4j.linalg.cpu.nativecpu.CpuBackend for CPU) or, failing that, the environment's
     * "backend" entry ("CUDA" / "CPU").
     */
    static String classify(String backendClassName, Object environmentBackend) {
        String cls = backendClassName == null ? "" : backendClassName.toLowerCase(Locale.ROOT);
        String env = environmentBackend == null ? "" : environmentBackend.toString().toLowerCase(Locale.ROOT);
        return cls.contains("jcublas") || cls.contains("cuda") || env.contains("cuda") ? CUDA : CPU;
    }

    private static Properties environment() {
        return Nd4j.getExecutioner().getEnvironmentInformation();
    }

    private static void appendCount(StringBuilder sb, Object value, String what) {
        if (value != null) {
            sb.append(", ").append(value).append(' ').append(what);
        }
    }
}
