package dev.livegateway.metrics;

import dev.livegateway.api.v1.ClientEvent;
import dev.livegateway.api.v1.ClientTurn;
import dev.livegateway.api.v1.Modality;
import dev.livegateway.api.v1.Part;
import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.Turn;

/** Caller events used by the operations tests. */
public final class Conversations {

    private Conversations() {}

    public static ClientEvent userText(String text) {
        return ClientEvent.newBuilder().setTurn(ClientTurn.newBuilder().setTurnComplete(true)
                .addTurns(Turn.newBuilder().addParts(Part.newBuilder().setText(text)))).build();
    }

    public static SessionConfig textConfig() {
        return SessionConfig.newBuilder().setResponseModality(Modality.MODALITY_TEXT).build();
    }
}
