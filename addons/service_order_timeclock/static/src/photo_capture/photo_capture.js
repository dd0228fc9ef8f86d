import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { getDataURLFromFile } from "@web/core/utils/urls";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * A button that opens the phone's camera (`capture="environment"`) and adds each picture to the
 * service order through `action_add_photo`, which checks the size and type.
 */
export class PhotoCapture extends Component {
    static template = "service_order_timeclock.PhotoCapture";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ uploading: false });
    }

    async onFileChange(ev) {
        const files = [...ev.target.files];
        ev.target.value = "";
        if (!files.length) {
            return;
        }
        const { record } = this.props;
        this.state.uploading = true;
        try {
            if (record.dirty) {
                await record.save();
            }
            for (const file of files) {
                const data = await getDataURLFromFile(file);
                await this.orm.call(record.resModel, "action_add_photo", [[record.resId], data], {
                    name: file.name,
                });
            }
        } finally {
            this.state.uploading = false;
            await record.load();
        }
    }
}

registry.category("view_widgets").add("service_photo_capture", { component: PhotoCapture });
