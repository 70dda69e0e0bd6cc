/** The OpenAPI 3.1 document of the cabinet's JSON API (served at /api/openapi.json). */
export function cabinetOpenApi(publicUrl: string, issuer?: string) {
  const item = {
    type: "object",
    required: ["id", "sku", "name", "category", "status", "version"],
    properties: {
      id: { type: "string" },
      sku: { type: "string" },
      name: { type: "string" },
      description: { type: "string" },
      kind: { type: "string" },
      category: { type: "string" },
      status: { enum: ["draft", "active", "archived"] },
      price: {
        type: "object",
        required: ["amount", "currency"],
        properties: { amount: { type: "number" }, currency: { type: "string" } },
      },
      version: { type: "integer" },
    },
  };
  const error = {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string" },
          message: { type: "string" },
          field: { type: "string" },
        },
      },
    },
  };
  const errorResponse = (description: string) => ({
    description,
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  });
  return {
    openapi: "3.1.0",
    info: {
      title: "Acme user cabinet API",
      version: "1.0.0",
      description:
        "The user cabinet for the mobile app. Sign the person in at the ecosystem's SSO (OpenID Connect, authorization code with PKCE) and send the access token as a bearer.",
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        sso: {
          type: "openIdConnect",
          openIdConnectUrl: `${issuer ?? "<SSO issuer>"}/.well-known/openid-configuration`,
        },
      },
      schemas: { Item: item, Error: error },
    },
    paths: {
      "/api/v1/me": {
        get: {
          summary: "The signed-in person",
          security: [{ sso: ["openid", "email", "profile", "roles"] }],
          responses: {
            "200": {
              description: "who the token belongs to",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["subject", "roles"],
                    properties: {
                      subject: { type: "string" },
                      name: { type: "string" },
                      email: { type: "string" },
                      roles: { type: "array", items: { type: "string" } },
                    },
                  },
                },
              },
            },
            "401": errorResponse("no token, or an expired or revoked one"),
            "503": errorResponse("the SSO does not answer"),
          },
        },
      },
      "/api/v1/catalog": {
        get: {
          summary: "The catalog on sale (the cabinet's copy of master data)",
          responses: {
            "200": {
              description: "items, and when the catalog last changed (null: not arrived yet)",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["items", "asOf"],
                    properties: {
                      items: { type: "array", items: { $ref: "#/components/schemas/Item" } },
                      asOf: { type: ["string", "null"], format: "date-time" },
                    },
                  },
                },
              },
            },
          },
        },
      },
      "/api/v1/interests": {
        post: {
          summary: "The person is interested in an item (sent to CRM as a touchpoint)",
          security: [{ sso: ["openid"] }],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["itemId"],
                  additionalProperties: false,
                  properties: { itemId: { type: "string" } },
                },
              },
            },
          },
          responses: {
            "202": { description: "sent over the bus" },
            "400": errorResponse("a body of the wrong shape"),
            "401": errorResponse("no token, or an expired or revoked one"),
            "404": errorResponse("no such item on sale"),
          },
        },
      },
    },
  };
}
