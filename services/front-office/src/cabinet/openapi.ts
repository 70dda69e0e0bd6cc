/** The OpenAPI 3.1 document of the cabinet's JSON API (served at /api/openapi.json). */
export function cabinetOpenApi(publicUrl: string, issuer?: string) {
  const money = {
    type: "object",
    required: ["amount", "currency"],
    properties: { amount: { type: "number" }, currency: { type: "string" } },
  };
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
      price: money,
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
  const marketOffer = {
    type: "object",
    required: ["offerId", "partnerId", "title", "category", "unit", "price", "status", "version"],
    properties: {
      offerId: { type: "string", format: "uuid" },
      partnerId: { type: "string" },
      title: { type: "string" },
      description: { type: "string" },
      category: { type: "string" },
      unit: { type: "string", description: "what the price and the quantity count" },
      price: money,
      sla: {
        type: "object",
        properties: {
          responseHours: { type: "integer" },
          completionHours: { type: "integer" },
        },
      },
      status: { enum: ["active"] },
      version: { type: "integer" },
    },
  };
  const section = (items: Record<string, unknown>) => ({
    type: "object",
    required: ["source", "items", "asOf", "note", "linked"],
    properties: {
      source: {
        enum: ["marketplace", "files", "analytics"],
        description: "the module it comes from over the bus",
      },
      items: { type: "array", items },
      asOf: {
        type: ["string", "null"],
        format: "date-time",
        description:
          "when anything last arrived from that module (null: nothing yet, it may be unavailable)",
      },
      note: { type: "string", description: "how current the section is, in words for the person" },
      linked: {
        type: "boolean",
        description: "whether CRM has told which customer record is the person's",
      },
    },
  });
  const order = {
    type: "object",
    required: ["orderId", "title"],
    properties: {
      orderId: { type: "string" },
      requestId: { type: "string", description: "the request it was placed for" },
      title: { type: "string" },
      quantity: { type: "integer" },
      unit: { type: "string" },
      amount: { type: "number" },
      currency: { type: "string" },
      status: { type: "string" },
      createdAt: { type: "string", format: "date-time" },
      statusAt: { type: "string", format: "date-time" },
    },
  };
  const requestedOrder = {
    type: "object",
    required: ["requestId", "title"],
    properties: {
      requestId: { type: "string", description: "the app's (or the form's) request id" },
      offerId: { type: "string" },
      title: { type: "string" },
      quantity: { type: "integer" },
      unit: { type: "string" },
      amount: { type: "number" },
      currency: { type: "string" },
      requestedAt: { type: "string", format: "date-time" },
    },
  };
  const refusedOrder = {
    type: "object",
    required: ["eventId", "request", "code", "reason", "refusedAt"],
    properties: {
      eventId: { type: "string" },
      request: { enum: ["order.request"] },
      requestId: { type: "string", description: "the app's request id" },
      offerId: { type: "string" },
      title: { type: "string", description: "the offer's title, when the cabinet knows it" },
      quantity: { type: "integer" },
      code: { type: "string", description: "the kind of refusal (OfferUnavailable, ...)" },
      reason: { type: "string" },
      refusedAt: { type: "string", format: "date-time" },
    },
  };
  const document = {
    type: "object",
    required: ["fileId", "name", "version"],
    properties: {
      fileId: { type: "string" },
      name: { type: "string" },
      version: { type: "integer" },
      contentType: { type: "string" },
      size: { type: "integer" },
      createdAt: { type: "string", format: "date-time" },
    },
  };
  const offer = {
    type: "object",
    required: ["suggestionId", "title"],
    properties: {
      suggestionId: { type: "string" },
      title: { type: "string" },
      category: { type: "string" },
      reason: { type: "string" },
      suggestedAt: { type: "string", format: "date-time" },
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
      schemas: {
        Item: item,
        Error: error,
        Orders: {
          allOf: [
            section({ $ref: "#/components/schemas/Order" }),
            {
              type: "object",
              required: ["requested", "refused"],
              properties: {
                requested: {
                  type: "array",
                  items: { $ref: "#/components/schemas/RequestedOrder" },
                  description:
                    "orders the person requested that the marketplace has not placed or refused yet, newest first",
                },
                refused: {
                  type: "array",
                  items: { $ref: "#/components/schemas/RefusedOrder" },
                  description:
                    "order requests the marketplace refused (and did not place after all), newest first",
                },
              },
            },
          ],
        },
        Documents: section({ $ref: "#/components/schemas/Document" }),
        Offers: section({ $ref: "#/components/schemas/Offer" }),
        Order: order,
        RequestedOrder: requestedOrder,
        RefusedOrder: refusedOrder,
        Document: document,
        Offer: offer,
      },
    },
    paths: {
      ...Object.fromEntries(
        (
          [
            ["orders", "Orders", "The person's orders from the marketplace"],
            ["documents", "Documents", "The person's documents from file storage (metadata)"],
            ["offers", "Offers", "Offers picked for the person by analytics"],
          ] as const
        ).map(([path, schema, summary]) => [
          `/api/v1/${path}`,
          {
            get: {
              summary,
              description:
                "From the cabinet's copy, kept from the bus: when the module is down the answer is still 200, with what the cabinet has and a note saying it may be late.",
              security: [{ sso: ["openid"] }],
              responses: {
                "200": {
                  description: "the section, with its source and how current it is",
                  content: {
                    "application/json": { schema: { $ref: `#/components/schemas/${schema}` } },
                  },
                },
                "401": errorResponse("no token, or an expired or revoked one"),
                "503": errorResponse("the SSO does not answer"),
              },
            },
          },
        ]),
      ),
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
      "/api/v1/marketplace/offers": {
        get: {
          summary: "The marketplace partners' offers on sale, as the cabinet last heard of them",
          security: [{ sso: ["openid"] }],
          responses: {
            "200": {
              description: "the offers, and when anything last arrived from the marketplace",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["offers", "asOf"],
                    properties: {
                      offers: { type: "array", items: marketOffer },
                      asOf: { type: ["string", "null"], format: "date-time" },
                    },
                  },
                },
              },
            },
            "401": errorResponse("no token, or an expired or revoked one"),
          },
        },
      },
      "/api/v1/marketplace/orders": {
        post: {
          summary: "The person orders an offer (marketplace.order.requested over the bus)",
          security: [{ sso: ["openid"] }],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["requestId", "offerId", "quantity"],
                  additionalProperties: false,
                  properties: {
                    requestId: {
                      type: "string",
                      format: "uuid",
                      description: "chosen by the app per order: sent again, it is the same order",
                    },
                    offerId: { type: "string", format: "uuid" },
                    quantity: { type: "integer", minimum: 1, maximum: 100000 },
                    note: { type: "string", maxLength: 1000, description: "for the partner" },
                  },
                },
              },
            },
          },
          responses: {
            "202": {
              description:
                "sent over the bus; it shows under orders as requested at once, as the order once placed (or as refused)",
            },
            "400": errorResponse("a body of the wrong shape, naming the field"),
            "401": errorResponse("no token, or an expired or revoked one"),
            "404": errorResponse("no such offer in the marketplace"),
            "409": errorResponse(
              "the offer is withdrawn or suspended, or the person's customer record has not arrived yet",
            ),
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
