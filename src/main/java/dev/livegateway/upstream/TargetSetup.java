package dev.livegateway.upstream;

import dev.livegateway.wire.Flavour;
import dev.livegateway.wire.Setup;

/**
 * A session's setup as one target needs it: the model named the target's way (its project and
 * location on Vertex AI, {@code models/} on the Developer API) and the dialect's resumption flag.
 * The setup is planned once; a session placed on another target than the one it was planned for
 * is sent the same setup, adapted here.
 */
final class TargetSetup {

    private TargetSetup() {}

    /** Whether the target can serve the setup at all (explicit VAD signals are Vertex AI's only). */
    static boolean supports(Setup setup, UpstreamTarget target) {
        return !(Boolean.TRUE.equals(setup.explicitVadSignal()) && target.endpoint().flavour() != Flavour.VERTEX);
    }

    static Setup forTarget(Setup setup, UpstreamTarget target) {
        LiveEndpoint endpoint = target.endpoint();
        Setup adapted = setup.withModel(endpoint.qualifyModel(modelId(setup.model())));
        Setup.SessionResumption resumption = adapted.sessionResumption();
        if (resumption != null) {
            Boolean transparent = endpoint.flavour() == Flavour.VERTEX ? Boolean.TRUE : null;
            adapted = adapted.withSessionResumption(new Setup.SessionResumption(resumption.handle(), transparent));
        }
        return adapted;
    }

    /** The last segment of a model name. */
    static String modelId(String model) {
        int slash = model.lastIndexOf('/');
        return slash >= 0 ? model.substring(slash + 1) : model;
    }
}
