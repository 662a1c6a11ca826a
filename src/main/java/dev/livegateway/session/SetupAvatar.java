package dev.livegateway.session;

import static dev.livegateway.session.ConfigFieldChecks.abbreviate;
import static dev.livegateway.session.ConfigFieldChecks.atLeast;

import dev.livegateway.api.v1.AvatarConfig;
import dev.livegateway.wire.Setup;

/**
 * The setup's {@code avatarConfig} from a caller's {@link AvatarConfig}: a prebuilt avatar by name
 * or a custom one from a JPEG or PNG image, and the stream bitrates. Every refusal names the proto
 * field.
 */
final class SetupAvatar {

    private SetupAvatar() {}

    /** The avatar config; {@code maxMediaBytes} bounds the custom avatar's image. */
    static Setup.AvatarConfig avatar(AvatarConfig a, int maxMediaBytes) {
        boolean named = !a.getAvatarName().isBlank();
        if (named == a.hasCustomAvatar()) {
            throw new InvalidClientEventException("config.avatar", named
                    ? "both avatar_name and custom_avatar are set; set one"
                    : "set avatar_name (a prebuilt avatar) or custom_avatar (an image)");
        }
        if (named && !ConfigFieldChecks.isName(a.getAvatarName())) {
            throw new InvalidClientEventException("config.avatar.avatar_name", "'" + abbreviate(a.getAvatarName())
                    + "' is not an avatar name (letters, digits, '_' and '-')");
        }
        Setup.CustomizedAvatar custom = null;
        if (a.hasCustomAvatar()) {
            byte[] image = a.getCustomAvatar().getImageData().toByteArray();
            custom = new Setup.CustomizedAvatar(image("config.avatar.custom_avatar", image,
                    a.getCustomAvatar().getImageMimeType(), maxMediaBytes), image);
        }
        Integer audio = a.hasAudioBitrateBps()
                ? atLeast("config.avatar.audio_bitrate_bps", a.getAudioBitrateBps(), 1) : null;
        Integer video = a.hasVideoBitrateBps()
                ? atLeast("config.avatar.video_bitrate_bps", a.getVideoBitrateBps(), 1) : null;
        return new Setup.AvatarConfig(named ? a.getAvatarName() : null, custom, audio, video);
    }

    /** Checks an image and returns its media type (declared, or detected from its signature). */
    private static String image(String field, byte[] data, String declared, int maxBytes) {
        if (data.length == 0) {
            throw new InvalidClientEventException(field + ".image_data", "empty; send a JPEG or PNG image");
        }
        if (data.length > maxBytes) {
            throw new InvalidClientEventException(field + ".image_data", data.length + " bytes is over the limit of "
                    + maxBytes + " bytes");
        }
        String detected = ClientEventTranslator.imageType(data);
        if (detected == null) {
            throw new InvalidClientEventException(field + ".image_data", "not a JPEG or PNG image (unknown signature)");
        }
        String mime = declared.strip();
        if (!mime.isEmpty() && !mime.equalsIgnoreCase(detected)) {
            throw new InvalidClientEventException(field + ".image_mime_type", "'" + abbreviate(mime)
                    + "' does not match the image, which is " + detected + "; allowed: image/jpeg, image/png");
        }
        return detected;
    }
}
