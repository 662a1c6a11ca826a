package dev.livegateway.tools;

/**
 * A session's reference to a registry entry (proto {@code ToolReference}).
 *
 * @param version a kept version to pin, or 0 for the current version
 */
public record ToolRef(String name, long version) {

    public static ToolRef current(String name) {
        return new ToolRef(name, 0);
    }
}
