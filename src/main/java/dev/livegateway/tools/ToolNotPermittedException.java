package dev.livegateway.tools;

/** The entry names tenants, and the caller's tenant is not one of them. gRPC: PERMISSION_DENIED. */
public final class ToolNotPermittedException extends ToolRegistryException {

    private final String toolName;
    private final String tenant;

    public ToolNotPermittedException(String toolName, String tenant) {
        super("tenant '" + tenant + "' may not use tool '" + toolName
                + "'; ask the registry's operators to add it to the entry's tenants");
        this.toolName = toolName;
        this.tenant = tenant;
    }

    public String toolName() {
        return toolName;
    }

    public String tenant() {
        return tenant;
    }
}
