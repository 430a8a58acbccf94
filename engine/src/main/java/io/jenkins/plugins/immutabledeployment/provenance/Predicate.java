package io.jenkins.plugins.immutabledeployment.provenance;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A typed predicate of an in-toto Statement; its JSON form is the Statement's {@code predicate} field. */
public interface Predicate {

    /** The TypeURI that goes into the Statement's {@code predicateType}. */
    @JsonIgnore
    String predicateType();
}
