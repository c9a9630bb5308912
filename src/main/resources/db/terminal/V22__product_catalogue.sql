-- The store's products: what a SKU on a purchase line is called, in Chinese and English. Kept by the store (imported
-- from a CSV file); a line whose SKU is not here shows its SKU.
CREATE TABLE product (
    sku        VARCHAR(64) PRIMARY KEY,
    name_zh    VARCHAR(200),
    name_en    VARCHAR(200),
    category   VARCHAR(64),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT product_named CHECK (name_zh IS NOT NULL OR name_en IS NOT NULL)
);
