package dev.livegateway.tools;

import java.util.Objects;

/**
 * Who manages an entry: the REST API, or a file of the tool directory, named relative to that
 * directory so that replicas mounting the same ConfigMap at different paths agree.
 */
public record ToolOrigin(ToolSource source, String file) {

    public static final ToolOrigin API = new ToolOrigin(ToolSource.API, null);

    public ToolOrigin {
        Objects.requireNonNull(source, "source");
        if ((source == ToolSource.FILE) == (file == null)) {
            throw new IllegalArgumentException("a FILE origin names its file, an API origin does not");
        }
    }

    public static ToolOrigin file(String fileName) {
        return new ToolOrigin(ToolSource.FILE, fileName);
    }

    public boolean isFile() {
        return source == ToolSource.FILE;
    }
}
