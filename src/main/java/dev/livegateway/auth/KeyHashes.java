package dev.livegateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The {@code sha256:<hex>} form in which API keys are configured. */
public final class KeyHashes {

    private static final String PREFIX = "sha256:";

    private KeyHashes() {}

    /** SHA-256 of a presented key (its UTF-8 bytes), as {@code printf %s "$KEY" | sha256sum} computes it. */
    public static byte[] digest(String key) {
        return digest(key.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of some bytes. */
    public static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The configured form of a key: {@code sha256:<hex>}. */
    public static String format(String key) {
        return PREFIX + HexFormat.of().formatHex(digest(key));
    }

    /**
     * Parses {@code sha256:<64 hex digits>} (a bare 64-digit hex string is accepted too, as
     * sha256sum prints it).
     *
     * @param where the property or file entry, named in the error
     * @throws IllegalArgumentException naming {@code where} and the expected form
     */
    public static byte[] parse(String hash, String where) {
        String value = hash == null ? "" : hash.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith(PREFIX)) {
            value = value.substring(PREFIX.length());
        }
        if (value.length() != 64 || !value.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException(where + " must be a key hash of the form sha256:<64 hex digits> "
                    + "(printf %s \"$KEY\" | sha256sum), not a key in clear or another format");
        }
        return HexFormat.of().parseHex(value);
    }
}
