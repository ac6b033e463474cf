package com.lockkeeper.device;

import com.lockkeeper.lifecycle.PendingAction;
import java.util.List;

/** The answer to a check-in: what the device is to do, oldest first. */
record CheckinAnswer(List<Action> actions) {

    static CheckinAnswer of(List<PendingAction> pending) {
        return new CheckinAnswer(pending.stream().map(Action::of).toList());
    }

    /** One action: {@code rotate} or {@code escrow} this recovery password protector of this volume. */
    record Action(String type, String volumeId, String recoveryPasswordId) {

        static Action of(PendingAction action) {
            return new Action(action.kind().apiName(), action.volumeId().toString(), action.protectorId().toString());
        }
    }
}
