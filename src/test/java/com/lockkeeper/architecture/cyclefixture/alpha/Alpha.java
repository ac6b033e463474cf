package com.lockkeeper.architecture.cyclefixture.alpha;

import com.lockkeeper.architecture.cyclefixture.beta.Beta;

/** Half of a deliberate package cycle: proves the architecture rule finds one. */
public final class Alpha {

    public Beta partner() {
        return new Beta();
    }
}
