/** What the runtime and the tool executor share: backoff, Retry-After, sleeping, secret masking, edit distance. */
module dev.troupe.core {
    requires transitive com.google.common;

    exports dev.troupe.core.retry;
    exports dev.troupe.core.security;
    exports dev.troupe.core.text;
}
