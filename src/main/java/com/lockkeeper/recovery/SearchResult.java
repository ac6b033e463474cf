package com.lockkeeper.recovery;

import com.lockkeeper.computers.ComputerSummary;
import java.util.List;
import java.util.Optional;

/** A computer search: the computer the text names exactly, or else candidates whose names contain it. */
public record SearchResult(Optional<ComputerSummary> computer, List<ComputerSummary> candidates) {

    public boolean found() {
        return computer.isPresent();
    }
}
