package dev.livegateway.tools;

/**
 * Size limits of one registry entry. They keep a session's setup message well below what the Live
 * API accepts and keep a bad file from filling the store.
 *
 * @param maxEntryBytes size of the entry as compact JSON, in bytes
 * @param maxDescriptionChars length of the entry's description
 * @param maxFunctionDescriptionChars length of a function's description (the model reads it)
 * @param maxFunctionsPerEntry function declarations in one entry
 * @param maxSchemaDepth nesting depth of a parameters or response schema
 * @param maxTenants tenants named in one entry
 */
public record ToolLimits(
        int maxEntryBytes,
        int maxDescriptionChars,
        int maxFunctionDescriptionChars,
        int maxFunctionsPerEntry,
        int maxSchemaDepth,
        int maxTenants) {

    /** The defaults, also those of {@code live-gateway.tools.limits.*}. */
    public static final ToolLimits DEFAULTS = new ToolLimits(65536, 1024, 4096, 64, 16, 256);

    public ToolLimits {
        requirePositive("maxEntryBytes", maxEntryBytes);
        requirePositive("maxDescriptionChars", maxDescriptionChars);
        requirePositive("maxFunctionDescriptionChars", maxFunctionDescriptionChars);
        requirePositive("maxFunctionsPerEntry", maxFunctionsPerEntry);
        requirePositive("maxSchemaDepth", maxSchemaDepth);
        requirePositive("maxTenants", maxTenants);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
