package com.lockkeeper.device;

import com.lockkeeper.computers.VolumeOfAnotherComputerException;
import com.lockkeeper.devices.DeviceRefusedException;
import com.lockkeeper.http.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The device API's identity refusals as problem+json: they name what is wrong and the command that fixes it. */
@RestControllerAdvice(assignableTypes = {EscrowController.class, CheckinController.class, DeviceEventsController.class,
        EnrollController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class DeviceProblems {

    static final String VOLUME_OF_ANOTHER_COMPUTER = "volume-of-another-computer";

    @ExceptionHandler(DeviceRefusedException.class)
    ResponseEntity<ProblemDetail> refused(DeviceRefusedException e) {
        return Problems.response(Problems.problem(HttpStatus.FORBIDDEN, e.type(), e.title(), e.getMessage()));
    }

    @ExceptionHandler(VolumeOfAnotherComputerException.class)
    ResponseEntity<ProblemDetail> volumeOfAnotherComputer(VolumeOfAnotherComputerException e) {
        return Problems.response(volumeOfAnotherComputer(e.getMessage()));
    }

    static ProblemDetail volumeOfAnotherComputer(String detail) {
        return Problems.problem(HttpStatus.CONFLICT, VOLUME_OF_ANOTHER_COMPUTER, "Volume of another computer", detail);
    }
}
