package dev.troupe.tools.spec;

/** How an API expects its credential: none, an API key in a header or the query, a bearer token, or basic auth. */
public enum AuthScheme {
    NONE, API_KEY_HEADER, API_KEY_QUERY, BEARER, BASIC
}
