package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.attestation.VerifyReport;

/** {@code verify --public-key}: no attestation attached to the digest verifies with the key. */
final class NothingVerifiedException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final transient VerifyReport report;

    NothingVerifiedException(VerifyReport report) {
        super("nothing attached to " + report.image() + " verifies with key " + report.publicKey() + " ("
                + report.provenance().size() + " provenance, " + report.promotions().size() + " promotion and "
                + report.otherAttestations().size() + " other attestation(s), " + report.unreadable().size()
                + " unreadable); --report-only prints the report and exits 0");
        this.report = report;
    }

    VerifyReport report() {
        return report;
    }
}
