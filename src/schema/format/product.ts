/** The `products:` section of a catalog file. */
import { z } from 'zod';
import { TAX_CODES } from '../../client/wire-enums.js';
import { currencyCode, httpUrl, identifier, nonEmptyText } from './common.js';

export const productSettingsInput = z
  .strictObject({
    currency: currencyCode.optional().describe("The product's default currency (ISO 4217, e.g. USD). Every plan of this product with PAID prices must have a PAID price in it."),
    vpn: z.boolean().optional().describe('Allow visitors on a VPN.'),
    tor: z.boolean().optional().describe('Allow visitors over Tor.'),
    proxy: z.boolean().optional().describe('Allow visitors behind a proxy.'),
    productUrl: httpUrl.optional().describe('Public URL of the product.'),
  })
  .describe('Product settings. Leave the whole block out to leave settings alone; inside it, each key left out is not managed.');

export const productInput = z
  .strictObject({
    identifier: identifier('a product identifier', 'Unique slug of the product; plans refer to it with `product:`. Cannot be changed once created.'),
    name: nonEmptyText.describe('Display name.'),
    description: z.string().optional().describe('Description. Left out: not managed.'),
    taxCode: z.enum(TAX_CODES).describe('Tax category of what the product sells.'),
    settings: productSettingsInput.optional(),
  })
  .describe('A product: what plans are sold for.');
