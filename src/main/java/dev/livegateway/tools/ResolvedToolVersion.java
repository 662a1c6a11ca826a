package dev.livegateway.tools;

/** The version of an entry a session resolved, to report to the caller (SessionStarted). */
public record ResolvedToolVersion(String name, long version) {}
