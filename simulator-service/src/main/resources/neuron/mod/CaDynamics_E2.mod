: CaDynamics_E2: intracellular calcium in a 0.1 um submembrane shell, modified from Destexhe et al. (1994).
: Equation and constants as published by Hay et al. (2011), PLoS Comput Biol 7(7):e1002107 (ModelDB
: 139653, CaDynamics_E2.mod). Our own text. Twin of the Java class
: io.neurosurrogate.simulator.cell.channels.CaDynamicsE2: keep them identical.
: No INITIAL block: the initial cai is cai0_ca_ion, set by the driver to the model's caiInitMm.

NEURON {
    SUFFIX CaDynamics_E2
    USEION ca READ ica WRITE cai
    RANGE gamma, decay
}

UNITS {
    (mV) = (millivolt)
    (mA) = (milliamp)
    FARADAY = (faraday) (coulombs)
    (molar) = (1/liter)
    (mM) = (millimolar)
    (um) = (micron)
}

PARAMETER {
    gamma = 0.05        : fraction of free (unbuffered) calcium
    decay = 80 (ms)     : time constant of calcium removal
    depth = 0.1 (um)    : depth of the shell
    minCai = 1e-4 (mM)  : resting calcium
}

ASSIGNED {
    ica (mA/cm2)
}

STATE {
    cai (mM)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
}

DERIVATIVE states {
    cai' = -(10000)*(ica*gamma/(2*FARADAY*depth)) - (cai - minCai)/decay
}
