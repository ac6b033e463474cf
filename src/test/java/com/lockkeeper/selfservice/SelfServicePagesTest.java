package com.lockkeeper.selfservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** The self-service portal over real HTTP: own computers and IDs only, the notice, uniform not-found, the limit. */
@WebServerTest(properties = {"lockkeeper.self-service.max-reveals=1", "lockkeeper.self-service.window=6h"})
class SelfServicePagesTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    static String computer() {
        return "SS-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    @Test
    void aUserSeesTheirComputersAndKeyIdsButNoPasswordUntilTheyAsk() {
        String user = People.add(context, "user");
        Escrowed own = Recoveries.escrow(context, computer(), "CORP\\" + user, Instant.now());
        Escrowed other = Recoveries.escrow(context, computer(), "CORP\\somebody", Instant.now());
        WebSession web = WebSession.signedIn(port, user, People.PASSWORD);

        Page portal = web.get("/self-service");

        assertThat(portal.status()).isEqualTo(200);
        assertThat(portal.body()).contains(own.computer(), own.id().shortId(), "<label for=\"recoveryPasswordId\">")
                .doesNotContain(own.password().block(1)).doesNotContain(other.computer());
        assertThat(portal.body()).as("the limit as configured").contains("You can recover 1 more key now; the limit counts the"
                + " last 6 hours.");
    }

    @Test
    void theNoticeMustBeConfirmedAndThenTheOwnKeyIsShownInEightBlocks() {
        String user = People.add(context, "user");
        Escrowed own = Recoveries.escrow(context, computer(), user + "@corp.example.com", Instant.now());
        WebSession web = WebSession.signedIn(port, user, People.PASSWORD);
        web.get("/self-service");

        Page unconfirmed = web.post("/self-service/reveal", Map.of("recoveryPasswordId", own.id().shortId()));
        assertThat(unconfirmed.body()).contains("Tick the box").doesNotContain(own.password().block(1));

        Page revealed = web.post("/self-service/reveal", Map.of("recoveryPasswordId", own.id().shortId(), "confirm", "true"));
        assertThat(revealed.status()).isEqualTo(200);
        for (int n = 1; n <= 8; n++) {
            assertThat(revealed.body()).contains(">" + own.password().block(n) + "<");
        }
    }

    @Test
    void anothersKeyAndAMissingKeyGetTheSamePageAndTheLimitSaysToCallTheHelpdesk() {
        String user = People.add(context, "user");
        Escrowed own = Recoveries.escrow(context, computer(), user, Instant.now());
        Escrowed second = Recoveries.escrow(context, computer(), user, Instant.now());
        Escrowed other = Recoveries.escrow(context, computer(), "CORP\\somebody", Instant.now());
        String missing = other.id().shortId().startsWith("0") ? "11111111" : "00000000";
        WebSession web = WebSession.signedIn(port, user, People.PASSWORD);
        web.get("/self-service");

        Page notTheirs = web.post("/self-service/reveal", Map.of("recoveryPasswordId", other.id().shortId(), "confirm", "true"));
        Page notThere = web.post("/self-service/reveal", Map.of("recoveryPasswordId", missing, "confirm", "true"));

        assertThat(notTheirs.status()).isEqualTo(notThere.status());
        assertThat(errorOf(notTheirs.body())).isEqualTo(errorOf(notThere.body())).contains("None of your computers");
        assertThat(notTheirs.body()).doesNotContain(other.password().block(1)).doesNotContain(other.computer());

        assertThat(web.post("/self-service/reveal", Map.of("recoveryPasswordId", own.id().shortId(), "confirm", "true")).body())
                .contains(own.password().block(1));
        web.get("/self-service");
        Page limited = web.post("/self-service/reveal", Map.of("recoveryPasswordId", second.id().shortId(), "confirm", "true"));
        assertThat(limited.body()).contains("call the helpdesk", "in the last 6 hours").doesNotContain(second.password().block(1));
    }

    static String errorOf(String body) {
        int start = body.indexOf("id=\"recoveryPasswordId-error\"");
        return start < 0 ? "" : body.substring(start, body.indexOf("</p>", start));
    }
}
