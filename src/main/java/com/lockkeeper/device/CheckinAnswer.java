package com.lockkeeper.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.lockkeeper.lifecycle.PendingAction;
import java.util.List;

/**
 * The answer to a check-in: what the device is to do, oldest first. {@code device} is
 * {@code "pending"} for a device waiting for an admin's approval (and absent otherwise).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CheckinAnswer(List<Action> actions, String device) {

    static CheckinAnswer of(List<PendingAction> pending) {
        return new CheckinAnswer(pending.stream().map(Action::of).toList(), null);
    }

    static CheckinAnswer pending() {
        return new CheckinAnswer(List.of(), "pending");
    }

    /**
     * One action: {@code rotate} or {@code escrow} this recovery password protector of this volume;
     * {@code reason}, when there is one, says why ({@code differs}: the escrowed password differs from the device's).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Action(String type, String volumeId, String recoveryPasswordId, String reason) {

        static Action of(PendingAction action) {
            return new Action(action.kind().apiName(), action.volumeId().toString(), action.protectorId().toString(),
                    action.reason());
        }
    }
}
