// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI backend: the PSP function of an AMD Secure Processor, registers in
 * BAR 2, completion interrupt on MSI-X or MSI vector 0.
 *
 * Only the PCI functions whose PSP has SEV are listed; on a host without
 * any, the driver registers and binds nothing.
 */
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "psp.h"

#define PSP_PCI_BAR	2

struct psp_pci {
	void __iomem *regs;
	struct psp_device *psp;
};

static u32 psp_pci_read(void *ctx, u32 reg)
{
	struct psp_pci *pp = ctx;

	return ioread32(pp->regs + reg);
}

static void psp_pci_write(void *ctx, u32 reg, u32 val)
{
	struct psp_pci *pp = ctx;

	iowrite32(val, pp->regs + reg);
}

/* No quiesce: a real PSP cannot be told to drop a command. */
static const struct psp_backend_ops psp_pci_ops = {
	.read = psp_pci_read,
	.write = psp_pci_write,
};

static int psp_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct psp_backend be = {
		.dev = &pdev->dev,
		.vdata = (const struct psp_vdata *)id->driver_data,
		.ops = &psp_pci_ops,
		.irq = -1,
	};
	struct psp_pci *pp;
	int ret;

	pp = devm_kzalloc(&pdev->dev, sizeof(*pp), GFP_KERNEL);
	if (!pp)
		return -ENOMEM;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;

	ret = pcim_iomap_regions(pdev, BIT(PSP_PCI_BAR), "sev-psp");
	if (ret)
		return ret;
	pp->regs = pcim_iomap_table(pdev)[PSP_PCI_BAR];

	pci_set_master(pdev);

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(48));
	if (ret)
		ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret) {
		dev_err(&pdev->dev, "no usable DMA configuration\n");
		return ret;
	}

	/* MSI-X, else MSI; with neither the mailbox is polled. */
	ret = pci_alloc_irq_vectors(pdev, 1, 2, PCI_IRQ_MSIX | PCI_IRQ_MSI);
	if (ret > 0)
		be.irq = pci_irq_vector(pdev, 0);
	else
		dev_notice(&pdev->dev, "no MSI-X/MSI vectors (%d)\n", ret);

	be.ctx = pp;
	pp->psp = psp_device_add(&be);
	if (IS_ERR(pp->psp)) {
		ret = PTR_ERR(pp->psp);
		pci_free_irq_vectors(pdev);
		return ret;
	}

	pci_set_drvdata(pdev, pp);
	return 0;
}

static void psp_pci_remove(struct pci_dev *pdev)
{
	struct psp_pci *pp = pci_get_drvdata(pdev);

	psp_device_remove(pp->psp);
	pci_free_irq_vectors(pdev);
}

static const struct pci_device_id psp_pci_table[] = {
	{ PCI_VDEVICE(AMD, 0x1456), (kernel_ulong_t)&psp_vdata_v1 },
	{ PCI_VDEVICE(AMD, 0x1486), (kernel_ulong_t)&psp_vdata_v2 },
	{ PCI_VDEVICE(AMD, 0x14CA), (kernel_ulong_t)&psp_vdata_v2 },
	{ PCI_VDEVICE(AMD, 0x156E), (kernel_ulong_t)&psp_vdata_v6 },
	{ }
};
MODULE_DEVICE_TABLE(pci, psp_pci_table);

static struct pci_driver psp_pci_driver = {
	.name = "sev-psp",
	.id_table = psp_pci_table,
	.probe = psp_pci_probe,
	.remove = psp_pci_remove,
};

int psp_pci_register(void)
{
	return pci_register_driver(&psp_pci_driver);
}

void psp_pci_unregister(void)
{
	pci_unregister_driver(&psp_pci_driver);
}
