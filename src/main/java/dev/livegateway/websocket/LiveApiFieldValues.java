package dev.livegateway.websocket;

import com.google.protobuf.ProtocolMessageEnum;
import dev.livegateway.session.AllowedEnumValues;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.wire.Content;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads one Live API field's value as the gateway's proto wants it: an enum string as the proto
 * enum, a text-only {@link Content} as its text. A value with no proto counterpart is refused,
 * naming the Live API field.
 */
final class LiveApiFieldValues {

    private LiveApiFieldValues() {}

    /** A Live API enum string as the proto enum: its name as is, or with the proto's prefix. */
    static <E extends Enum<E> & ProtocolMessageEnum> E enumOf(String field, String value, String prefix,
            Function<String, E> valueOf, E[] values) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        for (String candidate : List.of(v, prefix + v)) {
            try {
                E e = valueOf.apply(candidate);
                if (AllowedEnumValues.isAllowed(e)) {
                    return e;
                }
            } catch (IllegalArgumentException ignored) {
                // try the next spelling
            }
        }
        throw new InvalidClientEventException(field, "unknown value '" + value + "'; allowed: "
                + AllowedEnumValues.list(values, prefix));
    }

    /** The text of {@code content}, whose parts must all be text. */
    static String textOf(Content content, String field) {
        StringBuilder text = new StringBuilder();
        if (content.parts() != null) {
            for (int i = 0; i < content.parts().size(); i++) {
                Content.Part p = content.parts().get(i);
                if (p.text() == null) {
                    throw new InvalidClientEventException(field + ".parts[" + i + "]", "only text parts are allowed");
                }
                text.append(p.text());
            }
        }
        return text.toString();
    }
}
