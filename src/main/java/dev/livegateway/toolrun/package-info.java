/**
 * Running the registry's gateway-run tools: HTTP endpoints ({@link dev.livegateway.toolrun.HttpToolInvoker})
 * and MCP servers ({@link dev.livegateway.toolrun.McpServers}) under each entry's call policy
 * (retries and circuit breaker through SmallRye Fault Tolerance, the per-attempt timeout, the
 * response size), secrets read by name at call time ({@link dev.livegateway.toolrun.ToolSecrets}),
 * and the per-tenant limits ({@link dev.livegateway.toolrun.TenantCallLimits}).
 * {@link dev.livegateway.toolrun.GatewayToolCalls} is the entry point of the session layer and the
 * admin dry run. Knows the registry ({@code tools}) and {@code wire}; nothing above.
 */
package dev.livegateway.toolrun;
