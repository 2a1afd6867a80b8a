/**
 * charges: one row per charge.created event. Rows are only inserted, so any split of the log
 * into batches gives the same table.
 */
export const applyChargesSql = `INSERT INTO charges BY NAME
    SELECT event_id, log_position, contact_id, channel, p.charge_id, p.message_id, p.amount_micros, p.currency,
      p.category, p.pricing_model, p.calling_code, p.market, p.rate_card_id, p.reserved_micros,
      occurred_at AS charged_at
    FROM (SELECT *, json_transform(payload,
            '{"charge_id": "BIGINT", "message_id": "BIGINT", "amount_micros": "BIGINT", "currency": "VARCHAR",
              "category": "VARCHAR", "pricing_model": "VARCHAR", "calling_code": "VARCHAR", "market": "VARCHAR",
              "rate_card_id": "BIGINT", "reserved_micros": "BIGINT"}') AS p
          FROM _batch
          WHERE type = 'charge.created' AND schema_version = 1)`;
