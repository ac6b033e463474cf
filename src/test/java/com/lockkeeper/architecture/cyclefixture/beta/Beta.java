package com.lockkeeper.architecture.cyclefixture.beta;

import com.lockkeeper.architecture.cyclefixture.alpha.Alpha;

/** The other half of the deliberate package cycle. */
public final class Beta {

    public Alpha partner() {
        return new Alpha();
    }
}
