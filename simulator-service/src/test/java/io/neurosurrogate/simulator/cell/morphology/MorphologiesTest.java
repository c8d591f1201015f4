package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.SectionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MorphologiesTest {

    @TempDir
    Path dir;

    @Test
    void picksTheReaderByExtension() throws IOException {
        Path asc = Files.writeString(dir.resolve("cell.ASC"), AscReaderTest.CELL);
        Path swc = Files.writeString(dir.resolve("cell.Swc"), SwcReaderTest.CELL);
        assertEquals(1, Morphologies.load(asc).trees(SectionType.APICAL).size());
        assertEquals(1, Morphologies.load(swc).trees(SectionType.APICAL).size());
        assertEquals("cell.ASC", Morphologies.load(asc).source());
    }

    @Test
    void errorsForOtherFormatsAndMissingFiles() throws IOException {
        Path h5 = Files.writeString(dir.resolve("cell.h5"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Morphologies.load(h5));
        assertTrue(e.getMessage().contains("cell.h5"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Morphologies.load(dir.resolve("nope.swc")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }

    @Test
    void readerErrorsNameTheFile() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.swc"), "1 1 0 0 0 5 -1\n2 3 1 1 1 1 9\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Morphologies.load(bad));
        assertTrue(e.getMessage().startsWith("bad.swc:2:"), e.getMessage());
    }
}
