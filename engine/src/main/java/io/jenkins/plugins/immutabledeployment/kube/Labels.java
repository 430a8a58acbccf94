package io.jenkins.plugins.immutabledeployment.kube;

/** Label and annotation keys this product writes on the objects it creates or touches. */
final class Labels {

    static final String PREFIX = "immutable-deployment.jenkins.io/";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGED_BY_VALUE = "immutable-deployment";
    /** On the Lease and ledger ConfigMap: the stable Deployment they belong to. */
    static final String DEPLOYMENT = PREFIX + "deployment";

    private Labels() {}
}
