package io.neurosurrogate.trainer.ml;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

class Nd4jBackendTest {

    @Test
    void reportsCpuOnTheNativeCpuBackend() {
        // The test classpath carries nd4j-native (the default Maven profile), not nd4j-cuda.
        assertThat(Nd4j.getBackend().getClass().getName()).isEqualTo("org.nd4j.linalg.cpu.nativecpu.CpuBackend");
        assertThat(Nd4jBackend.name()).isEqualTo("cpu");
    }

    @Test
    void describesTheBackendClassAndBlasOnOneLine() {
        String d = Nd4jBackend.describe();
        assertThat(d).startsWith("cpu (CpuBackend): ").doesNotContain("\n").contains("BLAS threads")
                .containsPattern("OPENBLAS|MKL");
        assertThat(d).doesNotContain("device");
    }

    @Test
    void classifiesTheCudaBackendByItsClassOrEnvironment() {
        assertThat(Nd4jBackend.classify("org.nd4j.linalg.jcublas.JCublasBackend", null)).isEqualTo("cuda");
        assertThat(Nd4jBackend.classify("some.other.Backend", "CUDA")).isEqualTo("cuda");
        assertThat(Nd4jBackend.classify("org.nd4j.linalg.cpu.nativecpu.CpuBackend", "CPU")).isEqualTo("cpu");
        assertThat(Nd4jBackend.classify(null, null)).isEqualTo("cpu");
    }
}
