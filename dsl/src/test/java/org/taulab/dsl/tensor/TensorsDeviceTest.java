package org.taulab.dsl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.TauLabException;

class TensorsDeviceTest {
    @AfterEach
    void restore() {
        System.clearProperty("taulab.device");
    }

    @Test
    void cpuIsTheDefaultAndAnUnknownDeviceIsRefusedByName() {
        assertEquals(Device.cpu(), Tensors.device());
        System.setProperty("taulab.device", "CPU ");
        assertEquals(Device.cpu(), Tensors.device());
        System.setProperty("taulab.device", "tpu");
        TauLabException e = assertThrows(TauLabException.class, Tensors::device);
        assertEquals("-Dtaulab.device=tpu: must be cpu or gpu", e.getMessage());
    }

    @Test
    void gpuWithTheCpuEngineSaysSoInOneLine() {
        System.setProperty("taulab.device", "gpu");
        TauLabException e = assertThrows(TauLabException.class, Tensors::device);
        assertTrue(e.getMessage().startsWith("-Dtaulab.device=gpu: PyTorch sees no GPU (this build's engine is PyTorch "), e.getMessage());
        assertTrue(e.getMessage().endsWith("mvn -Pcuda package` on a machine with an NVIDIA driver for CUDA 12.4)"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
