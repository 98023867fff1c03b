DROP TABLE oidc_flows;
DROP TABLE oidc_identities;
